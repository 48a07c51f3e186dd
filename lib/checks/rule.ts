/** How serious a check finding is. */
export enum CheckSeverity {
  /** A defect or an exposure a reviewer would block: fails synth in strict mode unless acknowledged. */
  ERROR = 'error',
  /** A legal but risky choice: printed, reported, never fails synth. */
  WARNING = 'warning',
  /** Worth knowing; nothing to fix unless the context says so. */
  INFO = 'info',
}

/**
 * What every rule of the pack declares about itself. The README's rule table, the SARIF
 * report's rule list and the printed findings all come from these fields.
 *
 * Not public API.
 */
export interface RuleInfo {
  /** Stable ID, `GW-<AREA>-<WHAT>`. Never reused for another meaning. */
  readonly id: string;
  readonly severity: CheckSeverity;
  /** What the rule looks for, one line (the README table's "what"). */
  readonly title: string;
  /** Why it matters, one line. */
  readonly rationale: string;
  /** How to comply, one line. */
  readonly fix: string;
  /** The equivalent IDs of the field's scanners, e.g. `checkov CKV_AWS_145`, `kube-score pod-probes`. */
  readonly equivalents?: string[];
}

/**
 * A rule that a construct of this library reports while it is built, because only the
 * construct knows the fact (e.g. "no service routes through this load balancer").
 *
 * Not public API.
 */
export interface ConstructRule extends RuleInfo {
  readonly kind: 'construct';
}

/** One Terraform resource or data source of a synthesized stack, as the rules see it. */
export interface TerraformSubject {
  /** `aws_s3_bucket`, or `data.aws_iam_policy_document` for a data source. */
  readonly type: string;
  /** `aws_s3_bucket.Uploads_1A2B3C4D` (with `data.` for a data source). */
  readonly address: string;
  /** The resolved configuration, as in cdk.tf.json. */
  readonly config: { [key: string]: any };
  /** The construct path from the resource's metadata. */
  readonly path: string;
}

/** What a Terraform rule can ask about the rest of the stack. */
export interface TerraformContext {
  /** Every resource (and data source) of a type, e.g. all `aws_wafv2_web_acl_association`s. */
  ofType(type: string): TerraformSubject[];
  /** The subject whose address an expression such as `${aws_lb.X.arn}` starts with. */
  referenced(expression: unknown): TerraformSubject | undefined;
  /** The stack's environment tier ("development", "staging", "production") when it is known. */
  readonly environment?: string;
  /** The stack's backend type (`local` when none is configured). */
  readonly backend: string;
  /** The backend's settings as synthesized (empty for the local backend). */
  readonly backendConfig: { [key: string]: any };
  readonly stackName: string;
}

/**
 * A rule over Terraform resources. `check` returns undefined when the subject complies, or
 * the finding's message (what is wrong with this resource) when it does not.
 *
 * Not public API.
 */
export interface TerraformRule extends RuleInfo {
  readonly kind: 'terraform';
  /** The resource types the rule applies to. An empty list means the stack as a whole. */
  readonly resourceTypes: string[];
  /**
   * A construct rule that says the same thing with more context: when the resource's
   * construct (or one above it) reported that rule, this one stays silent.
   */
  readonly coveredBy?: string;
  check(subject: TerraformSubject, context: TerraformContext): string | undefined;
}

/** One rendered Kubernetes object. */
export interface KubernetesSubject {
  readonly manifest: { [key: string]: any };
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The ApiObject's construct path. */
  readonly path: string;
}

/** What a Kubernetes rule can ask about the other objects of the app. */
export interface KubernetesContext {
  ofKind(kind: string): KubernetesSubject[];
}

/** A rule over rendered Kubernetes objects. */
export interface KubernetesRule extends RuleInfo {
  readonly kind: 'kubernetes';
  /** The object kinds the rule applies to, e.g. `Deployment`. */
  readonly objectKinds: string[];
  check(subject: KubernetesSubject, context: KubernetesContext): string | undefined;
}

/** Any rule of the pack. Not public API. */
export type CheckRule = ConstructRule | TerraformRule | KubernetesRule;
