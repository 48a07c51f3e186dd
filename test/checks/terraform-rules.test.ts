import { TerraformStack, Testing } from 'cdktf';
import { EnvironmentTier } from 'cdktf-groundwork';
import { evaluateTerraform, TerraformView } from '../../lib/checks/private/terraform';
import { TerraformRule } from '../../lib/checks/rule';
import { TERRAFORM_RULES } from '../../lib/checks/rules';
import { testStack } from '../support/util';

/**
 * Every Terraform rule in the cdk-nag habit: a compliant and a non-compliant fixture, each a
 * fragment of cdk.tf.json as cdktf writes it. The fixtures are plain data, so each rule is
 * tested as the pure function it is.
 */
type Json = { [key: string]: any };
interface Fixture {
  readonly compliant: Json;
  readonly nonCompliant: Json;
  /** Part of the message the non-compliant fixture must produce. */
  readonly message: RegExp;
  /** The tier of the stack the fixtures are evaluated in. */
  readonly environment?: EnvironmentTier;
}

const bucket = { aws_s3_bucket: { b: { bucket: 'data' } } };
const ref = (address: string, attribute = 'id') => `\${${address}.${attribute}}`;
const kmsEncryption = {
  aws_s3_bucket_server_side_encryption_configuration: {
    e: { bucket: ref('aws_s3_bucket.b'), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/1' } }] },
  },
};
const policy = (statement: Json) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const publicAlb = { aws_lb: { lb: { internal: false, load_balancer_type: 'application', drop_invalid_header_fields: true, access_logs: { bucket: 'logs', enabled: true } } } };

const FIXTURES: Record<string, Fixture> = {
  'GW-S3-NO-KMS-ENCRYPTION': {
    compliant: { resource: { ...bucket, ...kmsEncryption } },
    nonCompliant: {
      resource: {
        ...bucket,
        aws_s3_bucket_server_side_encryption_configuration: {
          e: { bucket: ref('aws_s3_bucket.b'), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] },
        },
      },
    },
    message: /default encryption is AES256, not a KMS key/,
  },
  'GW-S3-PUBLIC-ACCESS-NOT-BLOCKED': {
    compliant: {
      resource: {
        ...bucket,
        aws_s3_bucket_public_access_block: {
          p: { bucket: ref('aws_s3_bucket.b'), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
        },
      },
    },
    nonCompliant: {
      resource: { ...bucket, aws_s3_bucket_public_access_block: { p: { bucket: ref('aws_s3_bucket.b'), block_public_acls: true, block_public_policy: true, ignore_public_acls: true } } },
    },
    message: /leaves restrict_public_buckets off/,
  },
  'GW-S3-NO-VERSIONING': {
    compliant: { resource: { ...bucket, aws_s3_bucket_versioning: { v: { bucket: ref('aws_s3_bucket.b'), versioning_configuration: { status: 'Enabled' } } } } },
    nonCompliant: { resource: { ...bucket, aws_s3_bucket_versioning: { v: { bucket: ref('aws_s3_bucket.b'), versioning_configuration: { status: 'Suspended' } } } } },
    message: /versioning is not enabled/,
  },
  'GW-KMS-NO-ROTATION': {
    compliant: { resource: { aws_kms_key: { k: { enable_key_rotation: true }, signing: { customer_master_key_spec: 'ECC_NIST_P256' } } } },
    nonCompliant: { resource: { aws_kms_key: { k: { description: 'no rotation' } } } },
    message: /enable_key_rotation is not true/,
  },
  'GW-RDS-UNENCRYPTED': {
    compliant: { resource: { aws_db_instance: { db: { engine: 'postgres', storage_encrypted: true }, replica: { replicate_source_db: ref('aws_db_instance.db', 'identifier') } } } },
    nonCompliant: { resource: { aws_db_instance: { db: { engine: 'postgres' } } } },
    message: /storage_encrypted is not true/,
  },
  'GW-RDS-PUBLIC': {
    compliant: { resource: { aws_db_instance: { db: { engine: 'postgres', publicly_accessible: false } } } },
    nonCompliant: { resource: { aws_db_instance: { db: { engine: 'postgres', publicly_accessible: true } } } },
    message: /publicly_accessible is true/,
  },
  'GW-RDS-NO-IAM-AUTH': {
    compliant: { resource: { aws_db_instance: { db: { engine: 'postgres', iam_database_authentication_enabled: true }, oracle: { engine: 'oracle-ee' } } } },
    nonCompliant: { resource: { aws_db_instance: { db: { engine: 'mysql' } } } },
    message: /iam_database_authentication_enabled is not true/,
  },
  'GW-RDS-NO-DELETION-PROTECTION': {
    environment: EnvironmentTier.PRODUCTION,
    compliant: { resource: { aws_db_instance: { db: { deletion_protection: true }, replica: { replicate_source_db: ref('aws_db_instance.db', 'identifier') } } } },
    nonCompliant: { resource: { aws_db_instance: { db: { deletion_protection: false } } } },
    message: /deletion_protection is not true in a production stack/,
  },
  'GW-RDS-NO-FINAL-SNAPSHOT': {
    compliant: { resource: { aws_db_instance: { db: { skip_final_snapshot: false, final_snapshot_identifier: 'db-final' } } } },
    nonCompliant: { resource: { aws_db_instance: { db: { skip_final_snapshot: true } } } },
    message: /skip_final_snapshot is true/,
  },
  'GW-RDS-NO-BACKUPS': {
    compliant: { resource: { aws_db_instance: { db: { backup_retention_period: 7 }, defaulted: {}, replica: { replicate_source_db: 'db', backup_retention_period: 0 } } } },
    nonCompliant: { resource: { aws_db_instance: { db: { backup_retention_period: 0 } } } },
    message: /backup_retention_period is 0/,
  },
  'GW-STACK-STATE-UNENCRYPTED': {
    compliant: { terraform: { backend: { s3: { bucket: 'state', encrypt: true } } } },
    nonCompliant: { terraform: { backend: { s3: { bucket: 'state' } } } },
    message: /the S3 backend does not set encrypt = true/,
  },
  'GW-ELASTICACHE-UNENCRYPTED': {
    compliant: { resource: { aws_elasticache_replication_group: { r: { at_rest_encryption_enabled: true, transit_encryption_enabled: true } } } },
    nonCompliant: { resource: { aws_elasticache_replication_group: { r: { at_rest_encryption_enabled: true } } } },
    message: /transit_encryption_enabled not true/,
  },
  'GW-EKS-NO-SECRETS-ENCRYPTION': {
    compliant: { resource: { aws_eks_cluster: { c: { encryption_config: { resources: ['secrets'], provider: { key_arn: 'k' } } } } } },
    nonCompliant: { resource: { aws_eks_cluster: { c: { name: 'c' } } } },
    message: /no encryption_config covers secrets/,
  },
  'GW-EKS-NO-CONTROL-PLANE-LOGS': {
    compliant: { resource: { aws_eks_cluster: { c: { enabled_cluster_log_types: ['api', 'audit', 'authenticator'] } } } },
    nonCompliant: { resource: { aws_eks_cluster: { c: { enabled_cluster_log_types: ['api'] } } } },
    message: /lacks audit, authenticator/,
  },
  'GW-ALB-PUBLIC-NO-WAF': {
    compliant: {
      resource: {
        ...publicAlb,
        aws_wafv2_web_acl_association: { a: { resource_arn: ref('aws_lb.lb', 'arn'), web_acl_arn: 'acl' } },
      },
    },
    nonCompliant: { resource: { ...publicAlb } },
    message: /internet-facing and no aws_wafv2_web_acl_association names it/,
  },
  'GW-ALB-HTTP-LISTENER': {
    compliant: {
      resource: {
        aws_lb_listener: {
          http: { port: 80, protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } }] },
          https: { port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', default_action: [{ type: 'forward' }] },
        },
      },
    },
    nonCompliant: { resource: { aws_lb_listener: { http: { port: 8080, protocol: 'HTTP', default_action: [{ type: 'forward' }] } } } },
    message: /port 8080 serves plain HTTP/,
  },
  'GW-ALB-OUTDATED-TLS-POLICY': {
    compliant: { resource: { aws_lb_listener: { https: { port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } } } },
    nonCompliant: { resource: { aws_lb_listener: { https: { port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-2016-08' } } } },
    message: /ELBSecurityPolicy-2016-08 allows TLS below 1.2/,
  },
  'GW-ALB-INVALID-HEADERS-KEPT': {
    compliant: { resource: { ...publicAlb, aws_lb: { ...publicAlb.aws_lb, nlb: { load_balancer_type: 'network' } } } },
    nonCompliant: { resource: { aws_lb: { lb: { internal: true } } } },
    message: /drop_invalid_header_fields is not true/,
  },
  'GW-ALB-NO-ACCESS-LOGS': {
    compliant: { resource: { ...publicAlb } },
    nonCompliant: { resource: { aws_lb: { lb: { internal: true, access_logs: { bucket: 'logs', enabled: false } } } } },
    message: /access_logs is not enabled/,
  },
  'GW-SG-OPEN-TO-WORLD': {
    compliant: {
      resource: {
        aws_vpc_security_group_ingress_rule: {
          https: { cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443, ip_protocol: 'tcp', description: 'HTTPS' },
          http6: { cidr_ipv6: '::/0', from_port: 80, to_port: 80, ip_protocol: 'tcp', description: 'HTTP' },
          ssh: { cidr_ipv4: '10.0.0.0/8', from_port: 22, to_port: 22, ip_protocol: 'tcp', description: 'SSH from the VPN' },
        },
      },
    },
    nonCompliant: {
      resource: {
        aws_security_group: { sg: { description: 'd', ingress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'], description: 'ssh' }] } },
        aws_security_group_rule: { all: { type: 'ingress', protocol: '-1', from_port: 0, to_port: 0, ipv6_cidr_blocks: ['::/0'] } },
        aws_vpc_security_group_ingress_rule: { range: { cidr_ipv4: '0.0.0.0/0', from_port: 80, to_port: 443, ip_protocol: 'tcp' } },
      },
    },
    message: /tcp port 22 from 0.0.0.0\/0|all traffic from ::\/0|tcp ports 80-443 from 0.0.0.0\/0/,
  },
  'GW-SG-NO-DESCRIPTION': {
    compliant: { resource: { aws_security_group: { sg: { description: 'Database clients', egress: [{ description: 'HTTPS out' }] } }, aws_vpc_security_group_egress_rule: { r: { description: 'to the VPC' } } } },
    nonCompliant: { resource: { aws_security_group: { sg: { description: 'Managed by Terraform' } } } },
    message: /the security group has no description/,
  },
  'GW-LOGS-NO-KMS-ENCRYPTION': {
    compliant: { resource: { aws_cloudwatch_log_group: { g: { kms_key_id: ref('aws_kms_key.k', 'arn'), retention_in_days: 30 } } } },
    nonCompliant: { resource: { aws_cloudwatch_log_group: { g: { retention_in_days: 30 } } } },
    message: /kms_key_id is not set/,
  },
  'GW-LOGS-NO-RETENTION': {
    compliant: { resource: { aws_cloudwatch_log_group: { g: { kms_key_id: 'k', retention_in_days: 30 } } } },
    nonCompliant: { resource: { aws_cloudwatch_log_group: { g: { kms_key_id: 'k', retention_in_days: 0 } } } },
    message: /logs never expire/,
  },
  'GW-SNS-NO-KMS-ENCRYPTION': {
    compliant: { resource: { aws_sns_topic: { t: { kms_master_key_id: 'alias/k' } } } },
    nonCompliant: { resource: { aws_sns_topic: { t: { name: 'alarms' } } } },
    message: /kms_master_key_id is not set/,
  },
  'GW-IAM-ADMIN-POLICY': {
    compliant: {
      resource: {
        aws_iam_role_policy: { p: { policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${ref('aws_s3_bucket.b', 'arn')}/*` }) } },
        aws_iam_policy: { deny: { policy: policy({ Effect: 'Deny', Action: '*', Resource: '*' }) } },
      },
    },
    nonCompliant: {
      resource: { aws_iam_role: { r: { inline_policy: [{ name: 'admin', policy: policy({ Effect: 'Allow', Action: ['*'], Resource: '*' }) }] } } },
    },
    message: /allows Action "\*" on Resource "\*"/,
  },
  'GW-IAM-WILDCARD-ACTION': {
    compliant: { resource: { aws_iam_role_policy: { p: { policy: policy({ Effect: 'Allow', Action: 's3:*', Resource: ref('aws_s3_bucket.b', 'arn') }) } } } },
    nonCompliant: { data: { aws_iam_policy_document: { d: { statement: [{ actions: ['s3:*', 'kms:Decrypt'], resources: ['*'] }] } } } },
    message: /s3:\* allowed on Resource "\*"/,
  },
  'GW-STACK-LOCAL-BACKEND': {
    environment: EnvironmentTier.PRODUCTION,
    compliant: { terraform: { backend: { s3: { bucket: 'state' } } } },
    nonCompliant: { terraform: {} },
    message: /the production stack keeps its state in a local file/,
  },
  'GW-WAF-ACL-NO-LOGGING': {
    compliant: { resource: { aws_wafv2_web_acl: { acl: {} }, aws_wafv2_web_acl_logging_configuration: { l: { resource_arn: ref('aws_wafv2_web_acl.acl', 'arn') } } } },
    nonCompliant: { resource: { aws_wafv2_web_acl: { acl: {} } } },
    message: /no aws_wafv2_web_acl_logging_configuration names this web ACL/,
  },
};

function run(rule: TerraformRule, json: Json, environment = EnvironmentTier.DEVELOPMENT): string[] {
  const stack = testStack({ environment });
  return evaluateTerraform(new TerraformView(stack, json), [rule]).map((r) => `${r.subject?.address ?? 'stack'}: ${r.message}`);
}

describe('Terraform rules', () => {
  test('every rule has a fixture, and every fixture a rule', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(TERRAFORM_RULES.map((r) => r.id).sort());
  });

  describe.each(TERRAFORM_RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    const fixture = FIXTURES[rule.id];

    test('passes the compliant fixture', () => {
      expect(run(rule, fixture.compliant, fixture.environment)).toEqual([]);
    });

    test('flags the non-compliant fixture', () => {
      const findings = run(rule, fixture.nonCompliant, fixture.environment);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.join('\n')).toMatch(fixture.message);
    });

    test('declares a rationale, a fix and a well-formed ID', () => {
      expect(rule.id).toMatch(/^GW-[A-Z0-9]+(-[A-Z0-9]+)+$/);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(10);
    });
  });

  test('a security group open to the world reports each opening', () => {
    const findings = run(TERRAFORM_RULES.find((r) => r.id === 'GW-SG-OPEN-TO-WORLD')!, FIXTURES['GW-SG-OPEN-TO-WORLD'].nonCompliant);
    expect(findings).toEqual([
      'aws_security_group.sg: tcp port 22 from 0.0.0.0/0',
      'aws_security_group_rule.all: all traffic from ::/0',
      'aws_vpc_security_group_ingress_rule.range: tcp ports 80-443 from 0.0.0.0/0',
    ]);
  });

  test('a local backend is fine in development and unknown tiers', () => {
    const rule = TERRAFORM_RULES.find((r) => r.id === 'GW-STACK-LOCAL-BACKEND')!;
    expect(run(rule, { terraform: {} }, EnvironmentTier.DEVELOPMENT)).toEqual([]);
    const plain = new TerraformStack(Testing.app(), 'plain');
    expect(evaluateTerraform(new TerraformView(plain, { terraform: {} }), [rule])).toEqual([]);
  });

  test('deletion protection is asked of production only, as PostgresWithBackups asks it', () => {
    const rule = TERRAFORM_RULES.find((r) => r.id === 'GW-RDS-NO-DELETION-PROTECTION')!;
    const unprotected = { resource: { aws_db_instance: { db: { deletion_protection: false } } } };
    expect(run(rule, unprotected, EnvironmentTier.DEVELOPMENT)).toEqual([]);
    expect(run(rule, unprotected, EnvironmentTier.STAGING)).toEqual([]);
    expect(run(rule, unprotected, EnvironmentTier.PRODUCTION)).toEqual(['aws_db_instance.db: deletion_protection is not true in a production stack']);
  });

  test('S3 encryption and versioning written as the inline blocks of aws 5.x count', () => {
    const kms = TERRAFORM_RULES.find((r) => r.id === 'GW-S3-NO-KMS-ENCRYPTION')!;
    const versioning = TERRAFORM_RULES.find((r) => r.id === 'GW-S3-NO-VERSIONING')!;
    const inline = {
      resource: {
        aws_s3_bucket: {
          b: {
            versioning: { enabled: true },
            server_side_encryption_configuration: { rule: { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/1' } } },
          },
        },
      },
    };
    expect(run(kms, inline)).toEqual([]);
    expect(run(versioning, inline)).toEqual([]);
  });

  test('an AWS-managed key is not a customer-managed one (S3, SNS)', () => {
    const kms = TERRAFORM_RULES.find((r) => r.id === 'GW-S3-NO-KMS-ENCRYPTION')!;
    const awsManaged = { resource: { aws_s3_bucket: { b: { server_side_encryption_configuration: { rule: { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' } } } } } } };
    expect(run(kms, awsManaged)).toEqual(['aws_s3_bucket.b: the bucket is encrypted with the AWS-managed key aws/s3, not a customer-managed key']);
    const sns = TERRAFORM_RULES.find((r) => r.id === 'GW-SNS-NO-KMS-ENCRYPTION')!;
    expect(run(sns, { resource: { aws_sns_topic: { t: { kms_master_key_id: 'alias/aws/sns' } } } })).toEqual([
      'aws_sns_topic.t: kms_master_key_id is the AWS-managed key alias/aws/sns, not a customer-managed key',
    ]);
  });

  test('a key policy\'s statements for principals are not identity policies', () => {
    const rule = TERRAFORM_RULES.find((r) => r.id === 'GW-IAM-WILDCARD-ACTION')!;
    const keyPolicy = { data: { aws_iam_policy_document: { key: { statement: [{ actions: ['kms:*'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }] }] } } } };
    expect(run(rule, keyPolicy)).toEqual([]);
  });

  test('listeners of gateway and network load balancers are not HTTP listeners', () => {
    const rule = TERRAFORM_RULES.find((r) => r.id === 'GW-ALB-HTTP-LISTENER')!;
    const gateway = { resource: { aws_lb: { gw: { load_balancer_type: 'gateway' } }, aws_lb_listener: { l: { load_balancer_arn: ref('aws_lb.gw', 'arn'), default_action: [{ type: 'forward' }] } } } };
    expect(run(rule, gateway)).toEqual([]);
    const alb = { resource: { aws_lb: { web: {} }, aws_lb_listener: { l: { load_balancer_arn: ref('aws_lb.web', 'arn'), port: 80, default_action: [{ type: 'forward' }] } } } };
    expect(run(rule, alb)).toEqual(['aws_lb_listener.l: listener on port 80 serves plain HTTP']);
  });

  test('a web ACL association this stack cannot resolve is not guessed at', () => {
    const rule = TERRAFORM_RULES.find((r) => r.id === 'GW-ALB-PUBLIC-NO-WAF')!;
    const elsewhere = { resource: { ...publicAlb, aws_wafv2_web_acl_association: { a: { resource_arn: '${data.terraform_remote_state.edge.outputs.lb_arn}', web_acl_arn: 'acl' } } } };
    expect(run(rule, elsewhere)).toEqual([]);
  });

  test('a policy Terraform builds at apply time is not guessed at', () => {
    const rule = TERRAFORM_RULES.find((r) => r.id === 'GW-IAM-ADMIN-POLICY')!;
    expect(run(rule, { resource: { aws_iam_policy: { p: { policy: '${data.aws_iam_policy_document.d.json}' } } } })).toEqual([]);
  });
});
