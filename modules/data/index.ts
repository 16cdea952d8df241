export * from './postgres-database';
export * from './bastion';
