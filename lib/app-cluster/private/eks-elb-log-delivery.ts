import { PolicyStatement } from '../../core/private/policy';

/**
 * The Elastic Load Balancing account of each region that was available before August 2022.
 * In these regions the bucket policy must name this account as the writer of access logs;
 * regions launched since then use the `logdelivery.elasticloadbalancing.amazonaws.com`
 * service principal instead.
 *
 * The same mapping the AWS provider's `aws_elb_service_account` data source carries, which
 * we cannot use (the plan runs offline).
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const ELB_LOG_DELIVERY_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-south-1': '718504428378',
  'ap-northeast-1': '582318560864',
  'ap-northeast-2': '600734575887',
  'ap-northeast-3': '383597477331',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-southeast-3': '589379963580',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-west-3': '009996457667',
  'eu-south-1': '635631232127',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
  'us-gov-west-1': '048591011584',
  'us-gov-east-1': '190560391635',
  'cn-north-1': '638102146993',
  'cn-northwest-1': '037604701340',
};

/** The service principal that writes access logs in regions launched since August 2022. */
export const ELB_LOG_DELIVERY_SERVICE_PRINCIPAL = 'logdelivery.elasticloadbalancing.amazonaws.com';

/**
 * The bucket policy statement that lets Elastic Load Balancing of `region` write access logs
 * under `objectArnPattern` (`<bucket arn>/<prefix>/AWSLogs/<account>/*`).
 */
export function elbLogDeliveryStatement(partition: string, region: string, objectArnPattern: string): PolicyStatement {
  const elbAccount = ELB_LOG_DELIVERY_ACCOUNT_BY_REGION[region];
  return {
    Sid: 'ElasticLoadBalancingAccessLogDelivery',
    Effect: 'Allow',
    Principal: elbAccount
      ? { AWS: `arn:${partition}:iam::${elbAccount}:root` }
      : { Service: ELB_LOG_DELIVERY_SERVICE_PRINCIPAL },
    Action: 's3:PutObject',
    Resource: objectArnPattern,
  };
}
