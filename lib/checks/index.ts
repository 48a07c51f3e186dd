export { CheckSeverity } from './rule';
export * from './checks';
