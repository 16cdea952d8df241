export * from './batch-storage';
