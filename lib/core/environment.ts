/**
 * The kind of environment a stack deploys. Every construct takes its defaults from the
 * {@link EnvironmentPreset} of this tier; explicit props always win.
 */
export enum EnvironmentTier {
  /** Cheap and disposable: single NAT gateway, single-AZ databases, short retention. */
  DEVELOPMENT = 'development',
  /** Production-shaped but smaller: Multi-AZ, a single NAT gateway, medium retention. */
  STAGING = 'staging',
  /** Highly available and protected: NAT per AZ, Multi-AZ, deletion protection, long retention. */
  PRODUCTION = 'production',
}

/**
 * The defaults every construct derives from an {@link EnvironmentTier}.
 *
 * A preset is data: constructs read it with `props.x ?? preset.x`, so any value here can be
 * overridden per construct by the matching prop.
 */
export class EnvironmentPreset {
  /** The preset for development stacks. */
  public static development(): EnvironmentPreset {
    return new EnvironmentPreset(EnvironmentTier.DEVELOPMENT, {
      multiAz: false,
      natGatewayPerAz: false,
      deletionProtection: false,
      preventDestroy: false,
      logRetentionDays: 30,
      backupRetentionDays: 7,
      keyDeletionWindowDays: 7,
      readReplicaCount: 0,
      logicalBackupSchedule: '0 1 * * *',
    });
  }

  /** The preset for staging stacks. */
  public static staging(): EnvironmentPreset {
    return new EnvironmentPreset(EnvironmentTier.STAGING, {
      multiAz: true,
      natGatewayPerAz: false,
      deletionProtection: true,
      preventDestroy: false,
      logRetentionDays: 90,
      backupRetentionDays: 14,
      keyDeletionWindowDays: 30,
      readReplicaCount: 1,
      logicalBackupSchedule: '0 1 * * *',
      restoreVerificationSchedule: '0 5 * * 6',
      awsBackupRestoreTestingSchedule: 'cron(0 8 ? * 3#1 *)',
    });
  }

  /** The preset for production stacks. */
  public static production(): EnvironmentPreset {
    return new EnvironmentPreset(EnvironmentTier.PRODUCTION, {
      multiAz: true,
      natGatewayPerAz: true,
      deletionProtection: true,
      preventDestroy: true,
      logRetentionDays: 365,
      backupRetentionDays: 30,
      keyDeletionWindowDays: 30,
      readReplicaCount: 2,
      logicalBackupSchedule: '0 1 * * *',
      restoreVerificationSchedule: '0 5 * * 6',
      awsBackupRestoreTestingSchedule: 'cron(0 8 ? * TUE *)',
    });
  }

  /** The preset for a tier. */
  public static forTier(tier: EnvironmentTier): EnvironmentPreset {
    switch (tier) {
      case EnvironmentTier.DEVELOPMENT:
        return EnvironmentPreset.development();
      case EnvironmentTier.STAGING:
        return EnvironmentPreset.staging();
      case EnvironmentTier.PRODUCTION:
        return EnvironmentPreset.production();
      default:
        throw new Error(`Unknown environment tier "${tier}"; allowed: development, staging, production`);
    }
  }

  /** The tier this preset stands for. */
  public readonly tier: EnvironmentTier;
  /** Spread stateful services (databases, caches) over several Availability Zones. */
  public readonly multiAz: boolean;
  /** One NAT gateway per Availability Zone (true) or a single shared one (false). */
  public readonly natGatewayPerAz: boolean;
  /** Turn on the services' own deletion protection (RDS, ALB, ...). */
  public readonly deletionProtection: boolean;
  /** Add Terraform `lifecycle.prevent_destroy` to data-bearing resources and their keys. */
  public readonly preventDestroy: boolean;
  /** Retention of CloudWatch log groups, in days. */
  public readonly logRetentionDays: number;
  /** Retention of automated backups and snapshots, in days. */
  public readonly backupRetentionDays: number;
  /** Waiting period before a scheduled KMS key deletion takes effect, in days. */
  public readonly keyDeletionWindowDays: number;
  /** Number of database read replicas. */
  public readonly readReplicaCount: number;
  /** CronJob schedule (UTC) of a database's logical backup (`pg_dump`): daily at 01:00 in every tier. */
  public readonly logicalBackupSchedule: string;
  /**
   * CronJob schedule (UTC) of the restore verification of the newest logical backup: weekly
   * (Saturday 05:00) in staging and production; none in development.
   */
  public readonly restoreVerificationSchedule?: string;
  /**
   * AWS Backup restore testing of the databases' recovery points (an EventBridge Scheduler
   * expression, UTC): weekly (Tuesday 08:00) in production, monthly (first Tuesday) in
   * staging; none in development.
   */
  public readonly awsBackupRestoreTestingSchedule?: string;

  private constructor(tier: EnvironmentTier, values: PresetValues) {
    this.tier = tier;
    this.multiAz = values.multiAz;
    this.natGatewayPerAz = values.natGatewayPerAz;
    this.deletionProtection = values.deletionProtection;
    this.preventDestroy = values.preventDestroy;
    this.logRetentionDays = values.logRetentionDays;
    this.backupRetentionDays = values.backupRetentionDays;
    this.keyDeletionWindowDays = values.keyDeletionWindowDays;
    this.readReplicaCount = values.readReplicaCount;
    this.logicalBackupSchedule = values.logicalBackupSchedule;
    this.restoreVerificationSchedule = values.restoreVerificationSchedule;
    this.awsBackupRestoreTestingSchedule = values.awsBackupRestoreTestingSchedule;
  }

  /** True for the production tier. */
  public get isProduction(): boolean {
    return this.tier === EnvironmentTier.PRODUCTION;
  }
}

interface PresetValues {
  readonly multiAz: boolean;
  readonly natGatewayPerAz: boolean;
  readonly deletionProtection: boolean;
  readonly preventDestroy: boolean;
  readonly logRetentionDays: number;
  readonly backupRetentionDays: number;
  readonly keyDeletionWindowDays: number;
  readonly readReplicaCount: number;
  readonly logicalBackupSchedule: string;
  readonly restoreVerificationSchedule?: string;
  readonly awsBackupRestoreTestingSchedule?: string;
}
