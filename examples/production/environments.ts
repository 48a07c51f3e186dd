import { CacheEngine, EnvironmentTier } from 'cdktf-groundwork';

/** What differs between the shop's environments: the preset does the rest. */
export interface ShopEnvironment {
  readonly tier: EnvironmentTier;
  readonly accountId: string;
  readonly vpcCidr: string;
  readonly zones: string[];
  readonly certificateArn: string;
  readonly nodeInstanceTypes: string[];
  readonly nodesMin: number;
  readonly nodesMax: number;
  /** Where AWS Backup copies the database (production only). */
  readonly disasterRecoveryRegion?: string;
  /**
   * The S3 bucket of the Terraform state. Every environment deployed from CI needs one: a CI
   * runner's disk is gone after the job. (The offline plan swaps it for a local backend.)
   */
  readonly stateBucket: string;
  /**
   * The transit gateway (shared with the account through RAM) that routes the VPC to the CI
   * network, where the self-hosted deploy runners run.
   */
  readonly transitGatewayId: string;
  /** Page a human for critical alerts (otherwise Slack only). */
  readonly paging: boolean;
  /**
   * Put an RDS Proxy in front of the orders database: the orders API autoscales, and the proxy
   * keeps its pods' connections within the database's max_connections and open across a
   * Multi-AZ failover. Not in development, where one pod runs and a proxy only costs.
   */
  readonly ordersDatabaseProxy: boolean;
  /**
   * The cache's engine. Valkey costs less than Redis OSS and ElastiCache moves a group to it in
   * place; development and staging run it first, production follows once they have.
   */
  readonly cacheEngine: CacheEngine;
}

export const REGION = 'eu-west-1';

/**
 * The CI network: the self-hosted runners (label `shop-deploy`) that deploy every environment.
 * Each environment's VPC routes it through the transit gateway, and its cluster admits it on
 * the private API endpoint, which stays private.
 */
export const DEPLOY_RUNNER_CIDRS = ['10.255.0.0/24'];

export const SHOP_ENVIRONMENTS: ShopEnvironment[] = [
  {
    tier: EnvironmentTier.DEVELOPMENT,
    accountId: '111111111111',
    vpcCidr: '10.10.0.0/16',
    zones: ['eu-west-1a', 'eu-west-1b'],
    certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555',
    // Security groups for pods (the orders API) need instance types with network interface trunking: no t family.
    nodeInstanceTypes: ['m6i.large'],
    nodesMin: 1,
    nodesMax: 3,
    stateBucket: 'shop-terraform-state-111111111111',
    transitGatewayId: 'tgw-0a1b2c3d4e5f60718',
    paging: false,
    ordersDatabaseProxy: false,
    cacheEngine: CacheEngine.VALKEY,
  },
  {
    tier: EnvironmentTier.STAGING,
    accountId: '222222222222',
    vpcCidr: '10.20.0.0/16',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    certificateArn: 'arn:aws:acm:eu-west-1:222222222222:certificate/22222222-3333-4444-5555-666666666666',
    nodeInstanceTypes: ['m6i.large', 'm6a.large'],
    nodesMin: 3,
    nodesMax: 6,
    stateBucket: 'shop-terraform-state-222222222222',
    transitGatewayId: 'tgw-0a1b2c3d4e5f60718',
    paging: false,
    ordersDatabaseProxy: true,
    cacheEngine: CacheEngine.VALKEY,
  },
  {
    tier: EnvironmentTier.PRODUCTION,
    accountId: '123456789012',
    vpcCidr: '10.0.0.0/16',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    nodeInstanceTypes: ['m6i.large', 'm6a.large'],
    nodesMin: 3,
    nodesMax: 9,
    disasterRecoveryRegion: 'eu-central-1',
    stateBucket: 'shop-terraform-state-123456789012',
    transitGatewayId: 'tgw-0a1b2c3d4e5f60718',
    paging: true,
    ordersDatabaseProxy: true,
    cacheEngine: CacheEngine.REDIS,
  },
];
