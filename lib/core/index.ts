export * from './environment';
export * from './groundwork-stack';
export * from './encryption-key';
export * from './log-group';
export * from './connections';
export * from './naming';
export * from './tags';
export * from './secure-bucket';
