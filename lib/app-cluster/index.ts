export * from './app-cluster';
export * from './load-balancer';
export * from './workload-chart';
export * from './bootstrap-stack';
export * from './service';
export * from './deploy-plan';
