import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * The retention values CloudWatch Logs accepts (PutRetentionPolicy). Anything else is
 * rejected by the API at apply time, so we reject it at synth instead.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const CLOUDWATCH_LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Throws unless `days` is a retention CloudWatch Logs accepts. */
export function checkLogRetentionDays(scope: IConstruct, property: string, days: number): void {
  if (!CLOUDWATCH_LOG_RETENTION_DAYS.includes(days)) {
    invalidProp(scope, property, `be one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')}`, days);
  }
}
