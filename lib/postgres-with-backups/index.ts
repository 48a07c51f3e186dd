export * from './postgres-with-backups';
export * from './postgres-proxy';
