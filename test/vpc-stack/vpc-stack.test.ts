import { EnvironmentTier, FlowLogTrafficType, NatGatewayMode, VpcStack, VpcStackProps } from 'cdktf-groundwork';
import {
  onlyResourceOf,
  policyOf,
  refTo,
  resolveIn,
  resourceAt,
  resourcesByPath,
  resourcesOf,
  synthStack,
  SynthesizedStack,
  testStack,
  warningsOf,
} from '../support/util';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function build(props: Partial<VpcStackProps> = {}, environment = EnvironmentTier.PRODUCTION) {
  const stack = testStack({ environment });
  const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES, ...props });
  return { stack, vpc, synth: synthStack(stack) };
}

function subnetsByName(synth: SynthesizedStack): Record<string, any> {
  return Object.fromEntries(resourcesOf(synth, 'aws_subnet').map((s) => [s.tags.Name, s]));
}

function routesTo(synth: SynthesizedStack, attribute: 'gateway_id' | 'nat_gateway_id'): any[] {
  return resourcesOf(synth, 'aws_route').filter((r) => r[attribute] !== undefined);
}

describe('VpcStack defaults', () => {
  const { stack, vpc, synth } = build();

  test('creates the VPC with DNS support and hostnames', () => {
    expect(onlyResourceOf(synth, 'aws_vpc')).toMatchObject({
      cidr_block: '10.0.0.0/16',
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: expect.objectContaining({ Name: 'shop-production-network', Project: 'shop' }),
    });
  });

  test('creates public, private and isolated subnets in every zone with computed CIDRs', () => {
    const subnets = subnetsByName(synth);
    expect(Object.keys(subnets)).toHaveLength(9);
    // private /20s first, then public /22s, then isolated /22s, one slot per zone letter
    expect(subnets['shop-production-network-private-eu-west-1a'].cidr_block).toBe('10.0.0.0/20');
    expect(subnets['shop-production-network-private-eu-west-1c'].cidr_block).toBe('10.0.32.0/20');
    expect(subnets['shop-production-network-public-eu-west-1a'].cidr_block).toBe('10.0.96.0/22');
    expect(subnets['shop-production-network-public-eu-west-1b'].cidr_block).toBe('10.0.100.0/22');
    expect(subnets['shop-production-network-isolated-eu-west-1a'].cidr_block).toBe('10.0.120.0/22');
    expect(vpc.privateSubnetCidrs).toEqual(['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20']);
    expect(vpc.isolatedSubnetCidrs).toEqual(['10.0.120.0/22', '10.0.124.0/22', '10.0.128.0/22']);
  });

  test('does not give instances in public subnets public IPs', () => {
    for (const subnet of resourcesOf(synth, 'aws_subnet')) {
      expect(subnet.map_public_ip_on_launch).toBe(false);
    }
  });

  test('routes the public tier to an internet gateway', () => {
    const igw = refTo(synth, 'aws_internet_gateway', 'Network/InternetGateway', 'id');
    const routes = routesTo(synth, 'gateway_id');
    expect(routes).toEqual([expect.objectContaining({ destination_cidr_block: '0.0.0.0/0', gateway_id: igw })]);
  });

  test('gives production a NAT gateway with an Elastic IP in each zone, and each private zone its own', () => {
    expect(resourcesOf(synth, 'aws_nat_gateway')).toHaveLength(3);
    expect(resourcesOf(synth, 'aws_eip')).toHaveLength(3);
    expect(vpc.natGatewayMode).toBe(NatGatewayMode.ONE_PER_AZ);
    for (const zone of ZONES) {
      const route = resourceAt(synth, 'aws_route', `Network/PrivateDefaultRoute-${zone}`);
      expect(route.nat_gateway_id).toBe(refTo(synth, 'aws_nat_gateway', `NatGateway-${zone}`, 'id'));
      expect(route.route_table_id).toBe(refTo(synth, 'aws_route_table', `PrivateRouteTable-${zone}`, 'id'));
    }
  });

  test('places each NAT gateway in the public subnet of its zone', () => {
    const nat = resourcesOf(synth, 'aws_nat_gateway').find((n) => n.tags.Name.endsWith('eu-west-1b'));
    expect(nat.subnet_id).toBe(refTo(synth, 'aws_subnet', 'PublicSubnet-eu-west-1b', 'id'));
    expect(nat.allocation_id).toBe(refTo(synth, 'aws_eip', 'NatEip-eu-west-1b', 'allocation_id'));
  });

  test('gives the isolated tier no route out of the VPC', () => {
    const isolatedTable = refTo(synth, 'aws_route_table', 'IsolatedRouteTable', 'id');
    expect(resourcesOf(synth, 'aws_route').filter((r) => r.route_table_id === isolatedTable)).toEqual([]);
    const associations = resourcesOf(synth, 'aws_route_table_association').filter(
      (a) => a.route_table_id === isolatedTable,
    );
    expect(associations).toHaveLength(3);
  });

  test('strips every rule from the default security group', () => {
    const sg = onlyResourceOf(synth, 'aws_default_security_group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(sg.vpc_id).toBe(refTo(synth, 'aws_vpc', 'Network/Resource', 'id'));
  });

  test('records all traffic in flow logs to a KMS-encrypted log group with the preset retention', () => {
    const logGroup = onlyResourceOf(synth, 'aws_cloudwatch_log_group');
    expect(logGroup).toMatchObject({
      name: '/aws/vpc-flow-logs/shop-production-network',
      retention_in_days: 365,
      kms_key_id: refTo(synth, 'aws_kms_key', 'FlowLogGroup/Key/Resource', 'arn'),
    });
    expect(onlyResourceOf(synth, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(onlyResourceOf(synth, 'aws_flow_log')).toMatchObject({
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: refTo(synth, 'aws_cloudwatch_log_group', 'FlowLogGroup/Resource', 'arn'),
      max_aggregation_interval: 60,
    });
  });

  test('scopes the flow log role to its own log group and to this account', () => {
    const role = onlyResourceOf(synth, 'aws_iam_role');
    const trust = policyOf(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    expect(trust.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '123456789012' });
    const policy = policyOf(onlyResourceOf(synth, 'aws_iam_role_policy').policy);
    const logGroupArn = refTo(synth, 'aws_cloudwatch_log_group', 'FlowLogGroup/Resource', 'arn');
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
    ]);
  });

  test('adds S3 and DynamoDB gateway endpoints to the private and isolated route tables', () => {
    const endpoints = resourcesOf(synth, 'aws_vpc_endpoint');
    expect(endpoints.map((e) => e.service_name).sort()).toEqual([
      'com.amazonaws.eu-west-1.dynamodb',
      'com.amazonaws.eu-west-1.s3',
    ]);
    for (const endpoint of endpoints) {
      expect(endpoint.vpc_endpoint_type).toBe('Gateway');
      expect(endpoint.route_table_ids).toHaveLength(4);
      expect(endpoint.route_table_ids).toContain(refTo(synth, 'aws_route_table', 'IsolatedRouteTable', 'id'));
      expect(endpoint.route_table_ids).not.toContain(refTo(synth, 'aws_route_table', 'PublicRouteTable', 'id'));
    }
  });

  test('creates DB and ElastiCache subnet groups on the isolated tier', () => {
    const isolated = ZONES.map((z) => refTo(synth, 'aws_subnet', `IsolatedSubnet-${z}`, 'id'));
    expect(onlyResourceOf(synth, 'aws_db_subnet_group')).toMatchObject({ name: 'shop-production-network', subnet_ids: isolated });
    expect(onlyResourceOf(synth, 'aws_elasticache_subnet_group')).toMatchObject({ subnet_ids: isolated });
    expect(resolveIn(stack, vpc.dbSubnetGroupName)).toBe(refTo(synth, 'aws_db_subnet_group', 'DbSubnetGroup', 'name'));
    expect(resolveIn(stack, vpc.cacheSubnetGroupName)).toBe(refTo(synth, 'aws_elasticache_subnet_group', 'CacheSubnetGroup', 'name'));
  });

  test('tags subnets for the AWS Load Balancer Controller', () => {
    const subnets = subnetsByName(synth);
    expect(subnets['shop-production-network-public-eu-west-1a'].tags['kubernetes.io/role/elb']).toBe('1');
    expect(subnets['shop-production-network-private-eu-west-1a'].tags['kubernetes.io/role/internal-elb']).toBe('1');
    expect(Object.keys(subnets['shop-production-network-isolated-eu-west-1a'].tags)).not.toContain('kubernetes.io/role/elb');
  });

  test('exposes typed attributes for wiring', () => {
    expect(vpc.availabilityZones).toEqual(ZONES);
    expect(vpc.publicSubnetIds).toHaveLength(3);
    expect(vpc.privateSubnetIds).toHaveLength(3);
    expect(vpc.isolatedSubnetIds).toHaveLength(3);
    expect(vpc.cidr).toBe('10.0.0.0/16');
    expect(resolveIn(stack, vpc.vpcId)).toBe(refTo(synth, 'aws_vpc', 'Network/Resource', 'id'));
    expect(resolveIn(stack, vpc.privateSubnetIds)).toEqual(ZONES.map((z) => refTo(synth, 'aws_subnet', `PrivateSubnet-${z}`, 'id')));
  });

  test('matches the snapshot', () => {
    expect(synth).toMatchSnapshot();
  });
});

describe('VpcStack presets and options', () => {
  test('development shares a single NAT gateway, in the zone with the lowest letter', () => {
    const { synth, vpc } = build({ availabilityZones: ['eu-west-1b', 'eu-west-1a'] }, EnvironmentTier.DEVELOPMENT);
    expect(Object.keys(resourcesByPath(synth, 'aws_nat_gateway'))).toEqual(['Network/NatGateway-eu-west-1a']);
    const natRef = refTo(synth, 'aws_nat_gateway', 'NatGateway-eu-west-1a', 'id');
    expect(routesTo(synth, 'nat_gateway_id').map((r) => r.nat_gateway_id)).toEqual([natRef, natRef]);
    expect(vpc.natGatewayMode).toBe(NatGatewayMode.SINGLE);
    expect(onlyResourceOf(synth, 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
  });

  test('natGateways overrides the preset', () => {
    const { synth } = build({ natGateways: NatGatewayMode.SINGLE });
    expect(resourcesOf(synth, 'aws_nat_gateway')).toHaveLength(1);
  });

  test('natGateways NONE leaves private subnets without a default route and warns', () => {
    const { stack, synth } = build({ natGateways: NatGatewayMode.NONE });
    expect(resourcesOf(synth, 'aws_nat_gateway')).toHaveLength(0);
    expect(routesTo(synth, 'nat_gateway_id')).toHaveLength(0);
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-VPC-NO-NAT]'));
  });

  test('mapPublicIpOnLaunch applies to public subnets only', () => {
    const subnets = subnetsByName(build({ mapPublicIpOnLaunch: true }).synth);
    expect(subnets['shop-production-network-public-eu-west-1a'].map_public_ip_on_launch).toBe(true);
    expect(subnets['shop-production-network-private-eu-west-1a'].map_public_ip_on_launch).toBe(false);
  });

  test('explicit subnet masks are used', () => {
    const { vpc } = build({ publicSubnetMask: 24, privateSubnetMask: 19, isolatedSubnetMask: 24 });
    expect(vpc.privateSubnetCidrs[1]).toBe('10.0.32.0/19');
    expect(vpc.publicSubnetCidrs[0]).toBe('10.0.192.0/24');
    expect(vpc.isolatedSubnetCidrs[0]).toBe('10.0.198.0/24');
  });

  test('flowLogs: false removes flow logs and records a warning', () => {
    const { stack, synth } = build({ flowLogs: false });
    expect(resourcesOf(synth, 'aws_flow_log')).toHaveLength(0);
    expect(resourcesOf(synth, 'aws_kms_key')).toHaveLength(0);
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('[GW-VPC-NO-FLOW-LOGS]'));
  });

  test('flowLogTrafficType and flowLogRetentionDays are applied', () => {
    const { synth } = build({ flowLogTrafficType: FlowLogTrafficType.REJECT, flowLogRetentionDays: 90 });
    expect(onlyResourceOf(synth, 'aws_flow_log').traffic_type).toBe('REJECT');
    expect(onlyResourceOf(synth, 'aws_cloudwatch_log_group').retention_in_days).toBe(90);
  });

  test('gatewayEndpoints: false removes the S3 and DynamoDB endpoints', () => {
    expect(resourcesOf(build({ gatewayEndpoints: false }).synth, 'aws_vpc_endpoint')).toHaveLength(0);
  });

  test('interface endpoints get private DNS, the private subnets and an HTTPS-from-VPC security group', () => {
    const { synth } = build({ interfaceEndpoints: ['ecr.api', 'sts'] });
    const interfaces = resourcesOf(synth, 'aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((e) => e.service_name)).toEqual(['com.amazonaws.eu-west-1.ecr.api', 'com.amazonaws.eu-west-1.sts']);
    const sgRef = refTo(synth, 'aws_security_group', 'EndpointSecurityGroup', 'id');
    for (const endpoint of interfaces) {
      expect(endpoint).toMatchObject({ private_dns_enabled: true, security_group_ids: [sgRef] });
      expect(endpoint.subnet_ids).toHaveLength(3);
    }
    const sg = onlyResourceOf(synth, 'aws_security_group');
    expect(sg.description).toMatch(/HTTPS from inside the VPC only/);
    expect(sg.ingress).toBeUndefined();
    expect(onlyResourceOf(synth, 'aws_vpc_security_group_ingress_rule')).toMatchObject({
      security_group_id: sgRef,
      ip_protocol: 'tcp',
      from_port: 443,
      to_port: 443,
      cidr_ipv4: '10.0.0.0/16',
      description: expect.stringMatching(/HTTPS/),
    });
  });

  test('eksClusterName adds the cluster tag to public and private subnets', () => {
    const subnets = subnetsByName(build({ eksClusterName: 'shop-prod' }).synth);
    expect(subnets['shop-production-network-public-eu-west-1a'].tags['kubernetes.io/cluster/shop-prod']).toBe('shared');
    expect(subnets['shop-production-network-private-eu-west-1b'].tags['kubernetes.io/cluster/shop-prod']).toBe('shared');
    expect(subnets['shop-production-network-isolated-eu-west-1a'].tags['kubernetes.io/cluster/shop-prod']).toBeUndefined();
  });

  test('without the isolated tier there are no subnet groups, and asking for one says why', () => {
    const { synth, vpc } = build({ isolatedSubnets: false });
    expect(resourcesOf(synth, 'aws_db_subnet_group')).toHaveLength(0);
    expect(() => vpc.dbSubnetGroupName).toThrow('VpcStack test/Network: has no DB subnet group because isolatedSubnets is false');
    expect(() => vpc.cacheSubnetGroupName).toThrow(/has no ElastiCache subnet group/);
  });

  test('without the public tier there is no internet gateway and, by default, no NAT', () => {
    const { synth, vpc } = build({ publicSubnets: false });
    expect(resourcesOf(synth, 'aws_internet_gateway')).toHaveLength(0);
    expect(vpc.natGatewayCount).toBe(0);
  });
});

describe('VpcStack transit gateway routing', () => {
  const TGW = 'tgw-0a1b2c3d4e5f60718';

  test('attaches the private subnets and routes each destination from every private route table, after the attachment', () => {
    const { synth } = build({ transitGateway: { transitGatewayId: TGW, destinationCidrs: ['10.255.0.0/24', '172.16.0.0/20'] } });
    const [attachment] = resourcesOf(synth, 'aws_ec2_transit_gateway_vpc_attachment');
    expect(attachment).toMatchObject({ transit_gateway_id: TGW, dns_support: 'enable' });
    const privateSubnets = Object.entries(synth.resource.aws_subnet as Record<string, any>)
      .filter(([, subnet]) => subnet.tags.Name.includes('private'))
      .map(([id]) => `\${aws_subnet.${id}.id}`);
    expect([...attachment.subnet_ids].sort()).toEqual(privateSubnets.sort());
    const routes = resourcesOf(synth, 'aws_route').filter((r) => r.transit_gateway_id === TGW);
    expect(routes).toHaveLength(6);
    const privateTables = Object.entries(synth.resource.aws_route_table as Record<string, any>)
      .filter(([, table]) => table.tags.Name.includes('private'))
      .map(([id]) => `\${aws_route_table.${id}.id}`);
    for (const cidr of ['10.255.0.0/24', '172.16.0.0/20']) {
      expect(routes.filter((r) => r.destination_cidr_block === cidr).map((r) => r.route_table_id).sort()).toEqual([...privateTables].sort());
    }
    for (const route of routes) expect(route.depends_on).toEqual([expect.stringMatching(/^aws_ec2_transit_gateway_vpc_attachment\./)]);
    // The isolated subnets (databases, caches) get no route to it.
    const isolated = Object.keys(synth.resource.aws_route_table).filter((id) => id.includes('Isolated'));
    expect(routes.filter((r) => isolated.some((id) => r.route_table_id.includes(id)))).toEqual([]);
  });

  test('refuses what cannot work, naming the property', () => {
    const fails = (transitGateway: any, message: RegExp) => expect(() => build({ transitGateway })).toThrow(message);
    fails({ transitGatewayId: 'tgw-XYZ', destinationCidrs: ['10.255.0.0/24'] }, /transitGateway\.transitGatewayId must be a transit gateway ID.*got "tgw-XYZ"/);
    fails({ transitGatewayId: TGW, destinationCidrs: [] }, /transitGateway\.destinationCidrs must list at least one/);
    fails({ transitGatewayId: TGW, destinationCidrs: ['10.0.4.0/24'] }, /transitGateway\.destinationCidrs\[0\] must not overlap the VPC's own CIDR.*got "10\.0\.4\.0\/24"/);
    fails({ transitGatewayId: TGW, destinationCidrs: ['10.255.0.0/24', '0.0.0.0/0'] }, /transitGateway\.destinationCidrs\[1\] must not be a default route/);
    fails({ transitGatewayId: TGW, destinationCidrs: ['10.255.0.1/24'] }, /transitGateway\.destinationCidrs must contain IPv4 CIDR blocks/);
    expect(() => build({ privateSubnets: false, natGateways: NatGatewayMode.NONE, transitGateway: { transitGatewayId: TGW, destinationCidrs: ['10.255.0.0/24'] } })).toThrow(
      /transitGateway needs private subnets/,
    );
  });
});

describe('VpcStack address plan stability', () => {
  const cidrsByConstructPath = (synth: SynthesizedStack) =>
    Object.fromEntries(Object.entries(resourcesByPath(synth, 'aws_subnet')).map(([path, s]) => [path, s.cidr_block]));

  test('adding a zone does not re-address existing subnets', () => {
    const before = cidrsByConstructPath(build({ availabilityZones: ['eu-west-1a', 'eu-west-1b'] }).synth);
    const after = cidrsByConstructPath(build({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] }).synth);
    expect(after).toMatchObject(before);
    expect(Object.keys(after)).toHaveLength(9);
  });

  test('reordering or removing a zone does not re-address the others', () => {
    const all = cidrsByConstructPath(build().synth);
    const reordered = cidrsByConstructPath(build({ availabilityZones: ['eu-west-1c', 'eu-west-1a'] }).synth);
    for (const [path, cidr] of Object.entries(reordered)) {
      expect(all[path]).toBe(cidr);
    }
  });

  test('enabling a tier later does not re-address the other tiers', () => {
    const without = cidrsByConstructPath(build({ isolatedSubnets: false, publicSubnets: false }).synth);
    const withAll = cidrsByConstructPath(build().synth);
    expect(withAll).toMatchObject(without);
  });

  test('moving from a single NAT gateway to one per zone keeps the first gateway', () => {
    const single = build({ natGateways: NatGatewayMode.SINGLE }).synth;
    const perAz = build({ natGateways: NatGatewayMode.ONE_PER_AZ }).synth;
    const [singleName] = Object.keys(single.resource.aws_nat_gateway);
    expect(Object.keys(perAz.resource.aws_nat_gateway)).toContain(singleName);
  });
});

describe('VpcStack validation', () => {
  const expectError = (props: Partial<VpcStackProps>, message: string | RegExp, environment?: EnvironmentTier) =>
    expect(() => build(props, environment)).toThrow(message);

  test('throws on a malformed CIDR', () => {
    expectError({ cidr: '10.0.0/16' }, 'VpcStack test/Network: cidr must be a valid IPv4 CIDR block (a.b.c.d/n with no host bits set), got "10.0.0/16"');
    expectError({ cidr: '10.0.300.0/24' }, /cidr must be a valid IPv4 CIDR block/);
  });

  test('throws when the CIDR has host bits set', () => {
    expectError({ cidr: '10.0.0.1/16' }, /cidr must be a valid IPv4 CIDR block .* got "10.0.0.1\/16"/);
  });

  test('throws when the VPC prefix is outside /16-/28', () => {
    expectError({ cidr: '10.0.0.0/8' }, 'VpcStack test/Network: cidr must have a prefix from /16 to /28 (the sizes AWS allows for a VPC), got "10.0.0.0/8"');
    expectError({ cidr: '10.0.0.0/29' }, /prefix from \/16 to \/28/);
  });

  test('throws when the tier masks do not fit the VPC for the zone slots', () => {
    expectError(
      { publicSubnetMask: 20, privateSubnetMask: 18, isolatedSubnetMask: 20 },
      /subnet masks do not fit the VPC: 6 zone slots of private \/18, public \/20 and isolated \/20 need 147456 addresses, the VPC 10.0.0.0\/16 has 65536/,
    );
  });

  test('a small VPC fits with fewer reserved zone slots', () => {
    expectError({ cidr: '10.0.0.0/24' }, /subnet masks do not fit the VPC/);
    const { vpc } = build({ cidr: '10.0.0.0/24', maxAvailabilityZones: 3 });
    expect(vpc.privateSubnetCidrs).toEqual(['10.0.0.0/28', '10.0.0.16/28', '10.0.0.32/28']);
  });

  test('throws when a mask is larger than the VPC or smaller than /28', () => {
    expectError({ privateSubnetMask: 16 }, 'VpcStack test/Network: privateSubnetMask must be an integer from 17 to 28, got 16');
    expectError({ publicSubnetMask: 29 }, /publicSubnetMask must be an integer from 17 to 28, got 29/);
  });

  test('throws on fewer than 2 zones in production', () => {
    expectError(
      { availabilityZones: ['eu-west-1a'] },
      'VpcStack test/Network: availabilityZones must list 2 to 6 zones (RDS subnet groups, EKS and Multi-AZ failover need at least two), got ["eu-west-1a"]',
    );
  });

  test('throws on more than 6 zones', () => {
    const seven = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((l) => `eu-west-1${l}`);
    expectError({ availabilityZones: seven }, /availabilityZones must list 2 to 6 zones/);
  });

  test('throws on duplicate zones', () => {
    expectError({ availabilityZones: ['eu-west-1a', 'eu-west-1a'] }, /availabilityZones must not repeat a zone, got \["eu-west-1a","eu-west-1a"\]/);
  });

  test('throws on zones from different regions, or not in the stack region', () => {
    expectError({ availabilityZones: ['eu-west-1a', 'us-east-1b'] }, /availabilityZones must all be in the stack's region eu-west-1/);
    expectError({ availabilityZones: ['us-east-1a', 'us-east-1b'] }, /availabilityZones must all be in the stack's region eu-west-1/);
  });

  test('throws on a malformed zone name', () => {
    expectError({ availabilityZones: ['eu-west-1a', 'euw1-az2'] }, /availabilityZones must contain zone names such as eu-west-1a, got "euw1-az2"/);
  });

  test('throws when a zone letter is beyond the reserved slots', () => {
    expectError({ availabilityZones: ['eu-west-1a', 'eu-west-1d'], maxAvailabilityZones: 3 }, /use zone letters below the maxAvailabilityZones reserved slots \(3: a-c\), got "eu-west-1d"/);
  });

  test('throws when NAT gateways are requested without public subnets', () => {
    expectError(
      { publicSubnets: false, natGateways: NatGatewayMode.SINGLE },
      'VpcStack test/Network: natGateways SINGLE needs public subnets for the NAT gateways, but publicSubnets is false; enable publicSubnets or set natGateways to NONE',
    );
  });

  test('throws on a flow log retention CloudWatch Logs does not accept', () => {
    expectError({ flowLogRetentionDays: 42 }, /flowLogRetentionDays must be one of 1, 3, 5, 7, 14, 30, .*, got 42/);
  });

  test('throws on a malformed or repeated interface endpoint', () => {
    expectError({ interfaceEndpoints: ['com.amazonaws.eu-west-1.sts'] }, /interfaceEndpoints must contain service suffixes such as "ecr.api"/);
    expectError({ interfaceEndpoints: ['sts', 'sts'] }, /interfaceEndpoints must not repeat a service/);
  });

  test('throws on an EKS cluster name EKS would reject', () => {
    expectError({ eksClusterName: '-bad' }, /eksClusterName must be 1-100 letters, digits, hyphens or underscores/);
  });

  test('throws when every tier is disabled', () => {
    expectError({ publicSubnets: false, privateSubnets: false, isolatedSubnets: false }, /at least one of publicSubnets, privateSubnets, isolatedSubnets must be true/);
  });

  test('validates before creating resources, so a failed construct leaves nothing behind', () => {
    const stack = testStack();
    expect(() => new VpcStack(stack, 'Bad', { cidr: 'nope', availabilityZones: ZONES })).toThrow();
    expect(stack.node.tryFindChild('Bad')?.node.children ?? []).toHaveLength(0);
  });
});
