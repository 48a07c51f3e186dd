import { Testing } from 'cdktf';
import { AppCluster, AppClusterProps } from '../../lib/app-cluster/app-cluster';
import { EnvironmentTier } from '../../lib/core';
import { PostgresWithBackups, PostgresWithBackupsProps } from '../../lib/postgres-with-backups';
import { VpcStack } from '../../lib/vpc-stack';
import { testStack } from './util';

export const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
export const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
export const ADMIN_ROLE = 'arn:aws:iam::123456789012:role/platform-admin';

/**
 * A VPC and a cluster named like the example's (`App`, `shop-production`), with no service yet,
 * and a factory of databases in that VPC. The deploy runners' network is admitted on the private
 * API endpoint (GW-EKS-NO-API-PATH otherwise).
 */
export function testPlatform(props: Partial<AppClusterProps> = {}, options: { environment?: EnvironmentTier } = {}) {
  const app = Testing.app();
  const stack = testStack({ environment: options.environment ?? EnvironmentTier.PRODUCTION }, app);
  const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });
  const cluster = new AppCluster(stack, 'App', {
    vpc,
    clusterName: 'shop-production',
    certificateArn: CERTIFICATE_ARN,
    adminPrincipalArns: [ADMIN_ROLE],
    privateEndpointAccessCidrs: ['10.100.0.0/24'],
    ...props,
  });
  const database = (id: string, extra: Partial<PostgresWithBackupsProps> = {}) => new PostgresWithBackups(stack, id, { vpc, ...extra });
  return { app, stack, vpc, cluster, database };
}
