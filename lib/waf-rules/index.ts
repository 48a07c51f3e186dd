export * from './waf-rules';
