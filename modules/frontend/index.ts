export * from './static-site';
