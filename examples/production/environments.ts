import { EnvironmentTier } from 'cdktf-groundwork';

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
  /** Remote state (staging and production); development keeps local state, so it plans with no account. */
  readonly stateBucket?: string;
  /** Page a human for critical alerts (otherwise Slack only). */
  readonly paging: boolean;
}

export const REGION = 'eu-west-1';

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
    paging: false,
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
    paging: false,
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
    paging: true,
  },
];
