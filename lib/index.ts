export * from './core';
export * from './vpc-stack';
