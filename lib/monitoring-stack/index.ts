export * from './monitoring-chart';
