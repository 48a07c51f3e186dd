export { CheckSeverity } from './rule';
export { GroundworkPack, GroundworkPackProps } from './pack';
export { Checks } from './checks';
