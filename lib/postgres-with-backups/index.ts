export * from './postgres-with-backups';
