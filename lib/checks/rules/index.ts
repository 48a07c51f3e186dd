import { CheckRule } from '../rule';
import { CHECKS_UNUSED_ACKNOWLEDGEMENT } from './checks-unused-acknowledgement';
import { CONSTRUCT_RULES } from './constructs';
import { KUBERNETES_RULES } from './kubernetes';
import { TERRAFORM_RULES } from './terraform';

export { CONSTRUCT_RULES, KUBERNETES_RULES, TERRAFORM_RULES };
export const UNUSED_ACKNOWLEDGEMENT = CHECKS_UNUSED_ACKNOWLEDGEMENT;

/** Every rule of the pack, in the order of the README's table. */
export const ALL_RULES: CheckRule[] = [...TERRAFORM_RULES, ...KUBERNETES_RULES, ...CONSTRUCT_RULES, CHECKS_UNUSED_ACKNOWLEDGEMENT];
