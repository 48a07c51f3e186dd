import { Testing } from 'cdktf';
import { AppCluster } from '../../lib/app-cluster/app-cluster';
import { ServiceRoute } from '../../lib/app-cluster/service';
import { MonitoringStack } from '../../lib/monitoring-stack/monitoring-stack';
import { VpcStack } from '../../lib/vpc-stack';
import { refTo, resourcesByPath, synthStack, testStack } from '../support/util';

const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const ALARM = 'aws_cloudwatch_metric_alarm';

function platform() {
  const stack = testStack();
  const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], flowLogs: false });
  const cluster = new AppCluster(stack, 'App', { vpc, certificateArn: CERTIFICATE_ARN, adminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'] });
  const monitoring = new MonitoringStack(stack, 'Monitoring', { runbookBaseUrl: 'https://runbooks.example.com/shop' });
  return { stack, cluster, monitoring };
}

const alarmsUnder = (synth: ReturnType<typeof synthStack>, prefix: string) =>
  Object.entries(resourcesByPath(synth, ALARM)).filter(([path]) => path.startsWith(prefix));

describe('MonitoringStack.watchService', () => {
  test("alarms on a routed service's own target group: 5xx rate, p95 latency, unhealthy and no healthy targets", () => {
    const { stack, cluster, monitoring } = platform();
    cluster.addService('Web', { name: 'web', route: ServiceRoute.defaultRoute() });
    const orders = cluster.addService('Orders', { name: 'orders', route: ServiceRoute.sharedLoadBalancer({ paths: ['/orders/*'], priority: 100 }) });
    monitoring.watchService(orders);
    const synth = synthStack(stack);
    const alarms = alarmsUnder(synth, 'Monitoring/Service-App-Orders/');
    expect(alarms.map(([path]) => path.split('/').pop()).sort()).toEqual(['NoHealthyTargets', 'Target5xxRateHigh', 'TargetResponseTimeHigh', 'UnhealthyTargets']);
    const targetGroup = refTo(synth, 'aws_lb_target_group', 'App/Orders/TargetGroup', 'arn_suffix');
    for (const [, alarm] of alarms) {
      const dimensions = alarm.dimensions ?? alarm.metric_query.find((q: any) => q.metric)?.metric.dimensions;
      // Every alarm reads this service's target group, not the whole load balancer.
      expect(dimensions.TargetGroup).toBe(targetGroup);
      expect(alarm.alarm_name).toMatch(/-orders-/);
    }
  });

  test('refuses the default route service (its load balancer watch covers it) and a service without a route', () => {
    const { cluster, monitoring } = platform();
    const web = cluster.addService('Web', { name: 'web', route: ServiceRoute.defaultRoute() });
    const worker = cluster.addService('Worker', { name: 'worker' });
    expect(() => monitoring.watchService(web)).toThrow(/MonitoringStack test\/Monitoring: watchService\(service\) must have a host\/path rule.*watchLoadBalancer\(service.loadBalancer\).*got "web"/);
    expect(() => monitoring.watchService(worker)).toThrow(/watchService\(service\) must have a route.*got "worker"/);
  });
});

describe('MonitoringStack.watchLoadBalancer on a shared load balancer', () => {
  test('without a default target group it alarms on the load balancer only, with no target health alarms', () => {
    const { stack, cluster, monitoring } = platform();
    cluster.addService('Orders', { name: 'orders', route: ServiceRoute.sharedLoadBalancer({ paths: ['/orders/*'], priority: 100 }) });
    monitoring.watchLoadBalancer(cluster.loadBalancer);
    const synth = synthStack(stack);
    expect(alarmsUnder(synth, 'Monitoring/LoadBalancer-App-LoadBalancer/').map(([path]) => path.split('/').pop()).sort()).toEqual([
      'Elb5xxRateHigh',
      'Target5xxRateHigh',
      'TargetResponseTimeHigh',
    ]);
  });

  test("with the default route's service declared first, it watches that target group's health", () => {
    const { stack, cluster, monitoring } = platform();
    cluster.addService('Web', { name: 'web', route: ServiceRoute.defaultRoute() });
    monitoring.watchLoadBalancer(cluster.loadBalancer);
    const synth = synthStack(stack);
    const [[, noHealthy]] = alarmsUnder(synth, 'Monitoring/LoadBalancer-App-LoadBalancer/NoHealthyTargets');
    expect(noHealthy.dimensions.TargetGroup).toBe(refTo(synth, 'aws_lb_target_group', 'App/Web/TargetGroup', 'arn_suffix'));
  });

  test('fails the synth when the default route is declared after the watch, which would leave its target group unwatched', () => {
    const { stack, cluster, monitoring } = platform();
    monitoring.watchLoadBalancer(cluster.loadBalancer);
    cluster.addService('Web', { name: 'web', route: ServiceRoute.defaultRoute() });
    expect(() => Testing.synth(stack, true)).toThrow(/watchLoadBalancer\(AppLoadBalancer test\/App\/LoadBalancer\) was called before a service took its default route/);
  });
});
