export * from './database-jobs';
export * from './database-jobs-chart';
