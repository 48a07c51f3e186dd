export * from './core';
export * from './vpc-stack';
export * from './postgres-with-backups';
export * from './redis-ha';
export * from './app-cluster';
export * from './waf-rules';
export * from './monitoring-stack';
export * from './checks';
