import { IConstruct } from 'constructs';
import { EnvironmentTier } from '../../core/environment';
import { REGION_PATTERN } from '../../core/private/aws-patterns';
import { invalidCombination, invalidProp } from '../../core/private/errors';
import { ParsedWindow } from '../../core/private/windows';

/** Longest replica suffix, `-replica-15` (RDS allows 15 read replicas per source). */
export const MAX_REPLICAS = 15;
export const REPLICA_SUFFIX_LENGTH = `-replica-${MAX_REPLICAS}`.length;

/**
 * RDS DB instance identifiers: 1-63 lowercase letters, digits or hyphens, starting with a
 * letter, no two consecutive hyphens, not ending with a hyphen. (RDS lowercases what it
 * receives; the AWS provider rejects uppercase outright.)
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints
 */
export function checkIdentifier(scope: IConstruct, identifier: string, replicas: number): void {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(identifier) || identifier.length > 63) {
    invalidProp(
      scope,
      'identifier',
      'be 1-63 lowercase letters, digits or hyphens, start with a letter, and have no "--" or trailing hyphen',
      identifier,
    );
  }
  if (replicas > 0 && identifier.length + `-replica-${replicas}`.length > 63) {
    invalidProp(
      scope,
      'identifier',
      `leave room for the replica suffix "-replica-${replicas}" within RDS's 63 characters (at most ${63 - `-replica-${replicas}`.length} characters)`,
      identifier,
    );
  }
}

// A PostgreSQL role a workload signs in as with IAM: lowercase only, because PostgreSQL folds
// unquoted names to lowercase and the IAM token is checked against the role name exactly.
export { IAM_DATABASE_USER_PATTERN } from '../../core/private/aws-patterns';

export const RESERVED_USERNAMES = ['rdsadmin', 'rdsrepladmin', 'rds_superuser', 'rds_replication', 'rdsproxyadmin', 'rds_iam'];

/** PostgreSQL master user names: 1-63 letters, digits or underscores, starting with a letter, not an RDS-reserved role. */
export function checkMasterUsername(scope: IConstruct, username: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(username)) {
    invalidProp(scope, 'masterUsername', 'be 1-63 letters, digits or underscores, starting with a letter', username);
  }
  if (RESERVED_USERNAMES.includes(username.toLowerCase())) {
    invalidProp(scope, 'masterUsername', `not be a role RDS reserves (${RESERVED_USERNAMES.join(', ')})`, username);
  }
}

const RESERVED_DATABASE_NAMES = ['rdsadmin', 'template0', 'template1'];

/** PostgreSQL database names on RDS: 1-63 letters, digits or underscores, starting with a letter. */
export function checkDatabaseName(scope: IConstruct, name: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name)) {
    invalidProp(scope, 'databaseName', 'be 1-63 letters, digits or underscores, starting with a letter', name);
  }
  if (RESERVED_DATABASE_NAMES.includes(name.toLowerCase())) {
    invalidProp(scope, 'databaseName', `not be a reserved database (${RESERVED_DATABASE_NAMES.join(', ')})`, name);
  }
}


/** A disaster-recovery region: a region name, not the stack's own, in the same partition. */
export function checkDisasterRecoveryRegion(scope: IConstruct, region: string, stackRegion: string): void {
  if (!REGION_PATTERN.test(region)) {
    invalidProp(scope, 'disasterRecoveryRegion', 'be an AWS region name such as eu-central-1', region);
  }
  if (region === stackRegion) {
    invalidProp(scope, 'disasterRecoveryRegion', `differ from the stack's region ${stackRegion}`, region);
  }
  if (partitionKey(region) !== partitionKey(stackRegion)) {
    invalidProp(scope, 'disasterRecoveryRegion', `be in the same AWS partition as the stack's region ${stackRegion}`, region);
  }
}

function partitionKey(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.includes('-iso')) return region.split('-').slice(0, 2).join('-');
  return 'aws';
}

const MINUTES_PER_WEEK = 7 * 24 * 60;

function overlaps(a: ReadonlyArray<[number, number]>, b: ReadonlyArray<[number, number]>): boolean {
  return a.some(([as, ae]) => b.some(([bs, be]) => as < be && bs < ae));
}

/** The window's week ranges extended `minutes` earlier (wrapping around the week). */
function extendedEarlier(window: ParsedWindow, minutes: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const [start, end] of window.weekRanges) {
    const newStart = start - minutes;
    if (newStart >= 0) {
      ranges.push([newStart, end]);
    } else {
      ranges.push([0, end], [MINUTES_PER_WEEK + newStart, MINUTES_PER_WEEK]);
    }
  }
  return ranges;
}

/**
 * AWS Backup does not start backups of an RDS instance during its automated backup window,
 * nor within the hour before or during its maintenance window; a job whose start window
 * falls there waits and can expire without a backup. Rejects an AWS Backup window that
 * shares any minute with those.
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html
 */
export function checkAwsBackupWindow(
  scope: IConstruct,
  awsBackup: ParsedWindow,
  backup: ParsedWindow | undefined,
  maintenance: ParsedWindow,
): void {
  if (backup && overlaps(awsBackup.weekRanges, backup.weekRanges)) {
    invalidCombination(
      scope,
      `awsBackupWindow "${awsBackup.text}" overlaps backupWindow "${backup.text}"; AWS Backup does not start RDS ` +
        'backups during the automated backup window, move awsBackupWindow',
    );
  }
  if (overlaps(awsBackup.weekRanges, extendedEarlier(maintenance, 60))) {
    invalidCombination(
      scope,
      `awsBackupWindow "${awsBackup.text}" overlaps maintenanceWindow "${maintenance.text}" or the hour before it; ` +
        'AWS Backup does not start RDS backups then, so that day\'s backup could expire, move awsBackupWindow',
    );
  }
}

/**
 * Default days a dump or export stays in the backup bucket: a year in production (the
 * long-term archive next to 30 days of snapshots), 90 days in staging, 30 in development.
 */
export function defaultDumpRetentionDays(tier: EnvironmentTier): number {
  switch (tier) {
    case EnvironmentTier.PRODUCTION:
      return 365;
    case EnvironmentTier.STAGING:
      return 90;
    default:
      return 30;
  }
}

/** Days after which dumps move to STANDARD_IA. */
export const DUMP_TRANSITION_DAYS = 30;

/**
 * STANDARD_IA bills at least 30 days per object, so moving objects there only pays when they
 * stay at least that long: the transition is added only when the retention exceeds
 * transition day + 30.
 */
export function dumpTransitionDays(retentionDays: number): number | undefined {
  return retentionDays > DUMP_TRANSITION_DAYS + 30 ? DUMP_TRANSITION_DAYS : undefined;
}
