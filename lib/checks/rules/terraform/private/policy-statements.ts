import { TerraformSubject } from '../../../rule';
import { blocks } from './helpers';

/** One IAM policy statement, normalised: actions and resources as lists. */
export interface Statement {
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  /** True for NotAction / NotResource, which allow everything but the list. */
  readonly negated: boolean;
}

/** The resource types whose `policy` attribute is an identity policy document (JSON). */
export const IDENTITY_POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

/** Every identity-policy statement a subject carries: its JSON `policy`, inline policies of a role, or a policy document data source. */
export function statementsOf(subject: TerraformSubject): Statement[] {
  if (subject.type === 'data.aws_iam_policy_document') {
    // A statement with principals belongs to a resource policy (a KMS key policy's "kms:*" for
    // the account root is the documented default), where the resource is the policy's own.
    return blocks(subject.config.statement).filter((s) => s.principals === undefined && s.not_principals === undefined).map((s) => ({
      effect: s.effect ?? 'Allow',
      actions: list(s.actions ?? s.not_actions),
      resources: list(s.resources ?? s.not_resources),
      negated: s.not_actions !== undefined || s.not_resources !== undefined,
    }));
  }
  if (subject.type === 'aws_iam_role') {
    return blocks(subject.config.inline_policy).flatMap((p) => parseDocument(p.policy));
  }
  return parseDocument(subject.config.policy);
}

/** Parses a JSON policy document; an expression Terraform builds at apply time yields nothing. */
function parseDocument(policy: unknown): Statement[] {
  if (typeof policy !== 'string') return [];
  let document: any;
  try {
    document = JSON.parse(policy);
  } catch {
    return [];
  }
  return blocks(document?.Statement).filter((s) => s.Principal === undefined && s.NotPrincipal === undefined).map((s) => ({
    effect: s.Effect ?? 'Allow',
    actions: list(s.Action ?? s.NotAction),
    resources: list(s.Resource ?? s.NotResource),
    negated: s.NotAction !== undefined || s.NotResource !== undefined,
  }));
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
