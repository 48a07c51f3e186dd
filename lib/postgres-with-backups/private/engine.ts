import { IConstruct } from 'constructs';
import { invalidProp } from '../../core/private/errors';

/**
 * End of RDS standard support per PostgreSQL major version (the RDS release calendar): after it,
 * RDS Extended Support (charged) or an automatic major upgrade.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
 */
export const END_OF_STANDARD_SUPPORT: { readonly [major: number]: string } = {
  14: '2027-02-28',
  15: '2028-02-29',
  16: '2029-02-28',
  17: '2030-02-28',
};

/**
 * PostgreSQL major versions this construct supports. Each has a parameter-group family
 * (`postgres<major>`) for which the default parameters below are valid. 14 and 15 are still
 * offered by RDS (and run by deployments this library serves), with a warning naming the end
 * of their standard support; 13 and older are past it. 18 is left out until its parameter
 * changes (log_connections became a list) are checked.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html
 */
export const SUPPORTED_MAJOR_VERSIONS: readonly number[] = [14, 15, 16, 17];

/** Majors whose standard support ends soon enough to warn about at every synth. */
export const MAJORS_NEAR_END_OF_SUPPORT: readonly number[] = [14, 15];

/**
 * The default engine version: a major only. RDS then creates the instance with the newest
 * minor of that major, and with auto minor version upgrades on, the AWS provider keeps the
 * configured prefix in state, so later minor upgrades by RDS cause no plan diff.
 */
export const DEFAULT_ENGINE_VERSION = '17';

/** An engine version split into its parts. */
export interface ParsedEngineVersion {
  /** As written, e.g. "17" or "16.8". */
  readonly text: string;
  readonly major: number;
  /** Present when a minor version is pinned. */
  readonly minor?: number;
  /** The DB parameter group family, e.g. "postgres17". */
  readonly family: string;
}

/** Parses "17" or "17.4" and checks the major against {@link SUPPORTED_MAJOR_VERSIONS}. */
export function parseEngineVersion(scope: IConstruct, property: string, text: string): ParsedEngineVersion {
  const match = /^(\d{1,3})(?:\.(\d{1,3}))?$/.exec(text);
  if (!match) {
    invalidProp(scope, property, 'be a PostgreSQL version such as "17" (newest minor) or "17.4"', text);
  }
  const major = Number(match[1]);
  if (!SUPPORTED_MAJOR_VERSIONS.includes(major)) {
    invalidProp(scope, property, `have a supported major version (${SUPPORTED_MAJOR_VERSIONS.join(', ')})`, text);
  }
  return {
    text,
    major,
    minor: match[2] === undefined ? undefined : Number(match[2]),
    family: `postgres${major}`,
  };
}

/** The default instance class by tier: memory-optimized Graviton for real load, burstable for development. */
export function defaultInstanceClass(isDevelopment: boolean): string {
  return isDevelopment ? 'db.t4g.medium' : 'db.r6g.large';
}

const INSTANCE_CLASS_PATTERN = /^db\.[a-z0-9-]+\.[a-z0-9]+$/;

/**
 * Classes on which RDS does not support Performance Insights / Database Insights.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.Engines.html
 */
const NO_PERFORMANCE_INSIGHTS_CLASSES: readonly string[] = [
  'db.t2.micro',
  'db.t2.small',
  'db.t3.micro',
  'db.t3.small',
  'db.t4g.micro',
  'db.t4g.small',
];

/** Checks the `db.<family>.<size>` shape of an instance class. */
export function checkInstanceClass(scope: IConstruct, property: string, instanceClass: string): void {
  if (!INSTANCE_CLASS_PATTERN.test(instanceClass)) {
    invalidProp(scope, property, 'be an RDS instance class such as "db.r6g.large"', instanceClass);
  }
}

/** True when RDS can run Performance Insights on this class. */
export function supportsPerformanceInsights(instanceClass: string): boolean {
  return !NO_PERFORMANCE_INSIGHTS_CLASSES.includes(instanceClass);
}

/** True for burstable (db.t*) classes, whose CPU credits can run out under sustained load. */
export function isBurstable(instanceClass: string): boolean {
  return /^db\.t\d/.test(instanceClass);
}

/** The Enhanced Monitoring intervals RDS accepts, in seconds (0 turns it off). */
export const MONITORING_INTERVALS: readonly number[] = [0, 1, 5, 10, 15, 30, 60];

/**
 * Performance Insights retention values RDS accepts: 7 (free tier), a multiple of 31 up to
 * 713 (months), or 731 (two years).
 */
export function isValidPerformanceInsightsRetention(days: number): boolean {
  return days === 7 || days === 731 || (Number.isInteger(days) && days % 31 === 0 && days >= 31 && days <= 713);
}
