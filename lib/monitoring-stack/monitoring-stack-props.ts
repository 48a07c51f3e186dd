import type { CertificateAlarmThresholds, LoadBalancerAlarmThresholds, PostgresAlarmThresholds, RedisAlarmThresholds, WafAlarmThresholds } from './monitoring-stack';

/** Properties of a {@link MonitoringStack}. */
export interface MonitoringStackProps {
  /**
   * Email addresses subscribed to the alarm topic, as literals (each names its subscription,
   * `Email-<address>`, so reordering the list changes nothing). Each address receives a confirmation
   * email from AWS and gets alarms only after someone clicks its link (within 3 days, or the
   * subscription lapses and must be re-created). Terraform cannot delete a subscription that
   * was never confirmed; it forgets it and AWS removes it after 3 days.
   *
   * @default - no email subscription
   */
  readonly alarmEmailAddresses?: string[];

  /**
   * An HTTPS endpoint subscribed to the alarm topic (an incident tool's CloudWatch/SNS
   * integration URL, a chat webhook relay). The endpoint must confirm the subscription
   * (visit the SubscribeURL SNS posts to it); PagerDuty and Opsgenie do so by themselves.
   * The URL is stored in the Terraform configuration and state: when it embeds a key (as
   * PagerDuty's integration URL does), pass it as a token, e.g. the `stringValue` of a
   * sensitive `TerraformVariable`, so the key stays out of the synthesized JSON.
   *
   * @default - no HTTPS subscription
   */
  readonly alarmHttpsEndpoint?: string;

  /**
   * Base URL of the runbooks (https, no query). Each alarm description ends with
   * `Runbook: <runbookBaseUrl>/<alarm kind>`, e.g. `https://runbooks.example.com/shop/rds-cpu-high`.
   *
   * @default - no runbook link; every description still says what to do
   */
  readonly runbookBaseUrl?: string;

  /**
   * The SNS topic name (1-256 letters, digits, hyphens or underscores).
   *
   * @default - `<project>-<environment>-<construct path>-alarms`
   */
  readonly topicName?: string;

  /**
   * Default thresholds of the PostgreSQL alarms; `watchPostgres` may override them per database.
   *
   * @default - the default of each threshold
   */
  readonly postgres?: PostgresAlarmThresholds;

  /**
   * Default thresholds of the Redis alarms; `watchRedis` may override them per replication group.
   *
   * @default - the default of each threshold
   */
  readonly redis?: RedisAlarmThresholds;

  /**
   * Default thresholds of the load balancer alarms; `watchLoadBalancer` may override them.
   *
   * @default - the default of each threshold
   */
  readonly loadBalancer?: LoadBalancerAlarmThresholds;

  /**
   * Default thresholds of the WAF alarm; `watchWaf` may override them.
   *
   * @default - the default of each threshold
   */
  readonly waf?: WafAlarmThresholds;

  /**
   * Default thresholds of the certificate expiry alarms; `watchCertificate` may override them.
   *
   * @default - the default of each threshold
   */
  readonly certificate?: CertificateAlarmThresholds;
}
