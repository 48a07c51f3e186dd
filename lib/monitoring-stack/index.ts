export * from './monitoring-chart';
export * from './monitoring-stack';
