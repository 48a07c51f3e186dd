export * from './vpc-stack';
