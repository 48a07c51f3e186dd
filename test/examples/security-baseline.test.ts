import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildExample } from '../../examples/production/main';

/**
 * The checks the field's scanners (checkov, trivy) run on AWS Terraform, applied to every
 * resource of every AWS stack the example synthesizes. The scanners themselves cannot be
 * installed here (no PyPI, no binary downloads), so their well-known rules are written out;
 * the IDs name the checkov check each rule mirrors.
 */
describe('security baseline over every AWS stack of the example', () => {
  const app = Testing.app();
  buildExample(app);
  app.synth();
  const stacks = fs
    .readdirSync(path.join(app.outdir, 'stacks'))
    .filter((name) => name.endsWith('-aws'))
    .map((name) => ({ name, json: JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) }));
  const all = (type: string) =>
    stacks.flatMap(({ name, json }) =>
      Object.entries(json.resource[type] ?? {}).map(([id, config]: [string, any]) => ({ where: `${name}/${type}.${id}`, config, stack: name, json })),
    );
  const refsTo = (json: any, type: string, attribute: string, key: string) =>
    new Set(Object.values(json.resource[type] ?? {}).map((r: any) => r[attribute]).filter((v) => typeof v === 'string' && v.includes(key)));
  const failures = (list: Array<{ where: string; ok: boolean }>) => list.filter((x) => !x.ok).map((x) => x.where);

  test('CKV_AWS_7: every KMS key rotates', () => {
    expect(failures(all('aws_kms_key').map((k) => ({ where: k.where, ok: k.config.enable_key_rotation === true })))).toEqual([]);
  });

  test('CKV_AWS_158 / CKV_AWS_338: every log group is KMS-encrypted with a retention (a year in production)', () => {
    expect(
      failures(
        all('aws_cloudwatch_log_group').map((g) => ({
          where: g.where,
          ok: typeof g.config.kms_key_id === 'string' && g.config.retention_in_days >= (g.stack.includes('production') ? 365 : 1),
        })),
      ),
    ).toEqual([]);
  });

  test('CKV_AWS_23 / CKV_AWS_260 / CKV_AWS_24: every security group and rule is described; only the ALB is open to the internet, on 80 and 443', () => {
    expect(failures(all('aws_security_group').map((g) => ({ where: g.where, ok: (g.config.description ?? '').length > 10 && !g.config.ingress })))).toEqual([]);
    const rules = [...all('aws_vpc_security_group_ingress_rule'), ...all('aws_vpc_security_group_egress_rule')];
    expect(failures(rules.map((r) => ({ where: r.where, ok: (r.config.description ?? '').length > 10 })))).toEqual([]);
    const open = all('aws_vpc_security_group_ingress_rule').filter((r) => r.config.cidr_ipv4 === '0.0.0.0/0');
    expect(open.every((r) => r.where.includes('LoadBalancer') && [80, 443].includes(r.config.from_port))).toBe(true);
    expect(all('aws_vpc_security_group_egress_rule').filter((r) => r.config.cidr_ipv4 === '0.0.0.0/0')).toEqual([]);
  });

  test('CKV2_AWS_12: the default security group has no rules; CKV2_AWS_11: every VPC has flow logs', () => {
    expect(all('aws_default_security_group').every((g) => !g.config.ingress && !g.config.egress)).toBe(true);
    for (const { json, name } of stacks) {
      expect([name, Object.keys(json.resource.aws_flow_log ?? {}).length]).toEqual([name, Object.keys(json.resource.aws_vpc).length]);
    }
  });

  test('CKV_AWS_130: no subnet gives instances public IPs', () => {
    expect(failures(all('aws_subnet').map((s) => ({ where: s.where, ok: s.config.map_public_ip_on_launch === false })))).toEqual([]);
  });

  test('S3 (CKV_AWS_21, CKV_AWS_145/19, CKV2_AWS_6, CKV_AWS_70 TLS-only): every bucket is versioned, encrypted, private and TLS-only', () => {
    for (const bucket of all('aws_s3_bucket')) {
      const id = bucket.where.split('.').pop();
      const ref = `aws_s3_bucket.${id}.id`;
      expect([bucket.where, refsTo(bucket.json, 'aws_s3_bucket_versioning', 'bucket', ref).size]).toEqual([bucket.where, 1]);
      expect([bucket.where, refsTo(bucket.json, 'aws_s3_bucket_server_side_encryption_configuration', 'bucket', ref).size]).toEqual([bucket.where, 1]);
      expect([bucket.where, refsTo(bucket.json, 'aws_s3_bucket_public_access_block', 'bucket', ref).size]).toEqual([bucket.where, 1]);
      const policy = Object.values(bucket.json.resource.aws_s3_bucket_policy).find((p: any) => p.bucket.includes(ref)) as any;
      expect(policy.policy).toMatch(/"aws:SecureTransport":"false"/);
    }
  });

  test('RDS (CKV_AWS_16/17/118/129/157/161/226/293/353/354): encrypted, private, monitored, protected', () => {
    for (const db of all('aws_db_instance')) {
      const primary = db.config.replicate_source_db === undefined;
      expect([db.where, db.config]).toEqual([
        db.where,
        expect.objectContaining({
          storage_encrypted: true,
          publicly_accessible: false,
          auto_minor_version_upgrade: true,
          iam_database_authentication_enabled: true,
          performance_insights_enabled: true,
          performance_insights_kms_key_id: expect.any(String),
          enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
          copy_tags_to_snapshot: true,
        }),
      ]);
      expect(db.config.monitoring_interval).toBeGreaterThan(0);
      if (primary && !db.stack.includes('development')) {
        expect([db.where, db.config.multi_az, db.config.deletion_protection]).toEqual([db.where, true, true]);
      }
      expect(JSON.stringify(db.config)).not.toMatch(/"password"/);
    }
  });

  test('ElastiCache (CKV_AWS_29/30/31/191): encrypted at rest with KMS and in transit, with authentication', () => {
    for (const group of all('aws_elasticache_replication_group')) {
      expect(group.config).toMatchObject({ transit_encryption_enabled: true, kms_key_id: expect.any(String) });
      expect(String(group.config.at_rest_encryption_enabled)).toBe('true');
      expect(group.config.user_group_ids ?? group.config.auth_token).toBeDefined();
    }
  });

  test('EKS (CKV_AWS_37/38/39/58) and nodes (CKV_AWS_79): logs on, private endpoint, secrets encrypted, IMDSv2', () => {
    for (const cluster of all('aws_eks_cluster')) {
      expect(cluster.config.enabled_cluster_log_types).toHaveLength(5);
      expect(cluster.config.vpc_config.endpoint_public_access).toBe(false);
      expect(cluster.config.encryption_config.resources).toEqual(['secrets']);
    }
    for (const template of all('aws_launch_template')) {
      expect(template.config.metadata_options.http_tokens).toBe('required');
      expect(template.config.block_device_mappings[0].ebs.encrypted).toBe('true');
    }
  });

  test('ALB (CKV_AWS_91/131/150/2/103): access logs, invalid headers dropped, deletion protection, HTTPS with TLS 1.2+', () => {
    for (const lb of all('aws_lb')) {
      expect(lb.config).toMatchObject({ drop_invalid_header_fields: true, access_logs: expect.objectContaining({ enabled: true }) });
      expect(lb.config.enable_deletion_protection).toBe(!lb.stack.includes('development'));
    }
    for (const listener of all('aws_lb_listener')) {
      if (listener.config.protocol === 'HTTPS') {
        expect(listener.config.ssl_policy).toMatch(/TLS13-1-2/);
      } else {
        expect(listener.config.default_action[0].type).toBe('redirect');
      }
    }
  });

  test('WAF (CKV_AWS_192/176): Log4j protection through KnownBadInputs, and logging', () => {
    for (const acl of all('aws_wafv2_web_acl')) {
      expect(JSON.stringify(acl.config.rule)).toMatch(/AWSManagedRulesKnownBadInputsRuleSet/);
      expect(JSON.stringify(acl.config.rule)).not.toMatch(/Log4JRCE.*count/i);
    }
    expect(all('aws_wafv2_web_acl_logging_configuration')).toHaveLength(all('aws_wafv2_web_acl').length);
  });
});
