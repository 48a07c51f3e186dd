export * from './environment';
export * from './groundwork-stack';
export * from './encryption-key';
export * from './naming';
export * from './tags';
