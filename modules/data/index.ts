export * from './postgres-database';
export * from './bastion';
export * from './database-user-secret';
export * from './secret-reader-role';
