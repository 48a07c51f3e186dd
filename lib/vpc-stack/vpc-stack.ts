import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { reportFinding } from '../checks/report';
import { VPC_NO_FLOW_LOGS } from '../checks/rules/constructs/vpc-no-flow-logs';
import { VPC_NO_NAT } from '../checks/rules/constructs/vpc-no-nat';
import { GroundworkStack } from '../core/groundwork-stack';
import { EncryptedLogGroup } from '../core/log-group';
import { EKS_CLUSTER_NAME_PATTERN } from '../core/private/aws-patterns';
import { cidrsOverlap, parseCidr, ParsedCidr } from '../core/private/cidr';
import { checkIpv4Cidrs } from '../core/private/cidr-checks';
import { checkIntegerInRange, invalidCombination, invalidProp, ValidationError } from '../core/private/errors';
import { checkLogRetentionDays } from '../core/private/log-retention';
import { policyDocument } from '../core/private/policy';
import { planAddresses, subnetCidr, TierName } from './private/address-plan';
import { VpcStackProps } from './vpc-stack-props';

// The props live in a file of their own; this module still exports them.
export { VpcStackProps } from './vpc-stack-props';

/** How the private tier reaches the internet. */
export enum NatGatewayMode {
  /** One NAT gateway in each Availability Zone: an AZ outage never cuts egress of the others. */
  ONE_PER_AZ = 'ONE_PER_AZ',
  /** One NAT gateway for all zones: cheaper, but egress of every zone depends on one AZ. */
  SINGLE = 'SINGLE',
  /** No NAT gateway: private subnets have no route to the internet. */
  NONE = 'NONE',
}

/** Which traffic VPC flow logs record. */
export enum FlowLogTrafficType {
  /** Accepted and rejected traffic. */
  ALL = 'ALL',
  /** Only accepted traffic. */
  ACCEPT = 'ACCEPT',
  /** Only rejected traffic. */
  REJECT = 'REJECT',
}

/**
 * What other constructs need from a VPC: the network to place resources in and the subnet
 * groups for the managed data stores.
 */
export interface IVpcStack {
  /** The VPC ID. */
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR block. */
  readonly cidr: string;
  /** The Availability Zones the VPC spans, in the order given. */
  readonly availabilityZones: string[];
  /** Public subnet IDs, one per zone (empty when the tier is disabled). */
  readonly publicSubnetIds: string[];
  /** Private subnet IDs, one per zone (empty when the tier is disabled). */
  readonly privateSubnetIds: string[];
  /** Isolated subnet IDs, one per zone (empty when the tier is disabled). */
  readonly isolatedSubnetIds: string[];
  /** Name of the RDS DB subnet group on the isolated tier. */
  readonly dbSubnetGroupName: string;
  /** Name of the ElastiCache subnet group on the isolated tier. */
  readonly cacheSubnetGroupName: string;
}


/** The transit gateway routing of a {@link VpcStack}. */
export interface TransitGatewayRouting {
  /** The transit gateway, `tgw-` and 8 or 17 hex digits (shared to this account through RAM if it is another's). */
  readonly transitGatewayId: string;

  /** IPv4 networks reached through it; none may overlap the VPC or be a default route. */
  readonly destinationCidrs: string[];
}

interface ZoneSubnets {
  readonly zone: string;
  readonly slot: number;
  readonly public?: Subnet;
  readonly private?: Subnet;
  readonly isolated?: Subnet;
}

const AZ_PATTERN = /^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)([a-z])$/;
const ENDPOINT_SERVICE_PATTERN = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

/** The props of a VpcStack after defaults, validated before any resource exists. */
interface ResolvedVpcProps {
  readonly vpcCidr: ParsedCidr;
  readonly maxZones: number;
  readonly zones: { zone: string; slot: number }[];
  readonly masks: Record<TierName, number>;
  readonly hasPublic: boolean;
  readonly hasPrivate: boolean;
  readonly hasIsolated: boolean;
  readonly natMode: NatGatewayMode;
  readonly flowLogRetentionDays: number;
  readonly interfaceEndpoints: string[];
  readonly transitGateway?: TransitGatewayRouting;
}

/**
 * A multi-AZ VPC with public, private and isolated subnet tiers.
 *
 * - public: internet gateway route; load balancers and NAT gateways live here. Instances do
 *   not get public IPs unless `mapPublicIpOnLaunch` is set.
 * - private: egress through NAT (one per AZ in production, a single one otherwise).
 * - isolated: no route to the internet; databases and caches, with the DB and ElastiCache
 *   subnet groups ready for {@link IVpcStack} consumers.
 *
 * Flow logs go to a CloudWatch Logs group encrypted with a rotating customer-managed key;
 * the default security group is stripped of all rules; S3 and DynamoDB gateway endpoints
 * keep that traffic off NAT.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-example-private-subnets-nat.html
 */
export class VpcStack extends Construct implements IVpcStack {
  /** The VPC ID. */
  public readonly vpcId: string;
  /** The VPC's IPv4 CIDR block. */
  public readonly cidr: string;
  /** The Availability Zones, in the order given. */
  public readonly availabilityZones: string[];
  /** Public subnet IDs, in zone order. */
  public readonly publicSubnetIds: string[];
  /** Private subnet IDs, in zone order. */
  public readonly privateSubnetIds: string[];
  /** Isolated subnet IDs, in zone order. */
  public readonly isolatedSubnetIds: string[];
  /** Planned public subnet CIDRs, in zone order. */
  public readonly publicSubnetCidrs: string[];
  /** Planned private subnet CIDRs, in zone order. */
  public readonly privateSubnetCidrs: string[];
  /** Planned isolated subnet CIDRs, in zone order. */
  public readonly isolatedSubnetCidrs: string[];
  /** The NAT gateway mode in effect after defaults. */
  public readonly natGatewayMode: NatGatewayMode;
  /** Number of NAT gateways created. */
  public readonly natGatewayCount: number;
  /** Name of the flow log group, when flow logs are on. */
  public readonly flowLogGroupName?: string;
  /** The underlying VPC resource. */
  public readonly resource: Vpc;
  /**
   * The prefix list of the S3 gateway endpoint (S3's addresses in this region), for security
   * group rules that let pods reach S3 and nothing else; undefined without gateway endpoints.
   */
  public readonly s3PrefixListId?: string;
  /** The services of the interface endpoints, as given (`['sts', 'secretsmanager']`). */
  public readonly interfaceEndpointServices: string[];

  private readonly _dbSubnetGroupName?: string;
  private readonly _cacheSubnetGroupName?: string;

  constructor(scope: Construct, id: string, props: VpcStackProps) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);
    const name = `${stack.namePrefix}-${id}`.toLowerCase();

    // ---- Validate everything before any resource exists ----
    const resolved = this.resolveProps(stack, props);
    this.interfaceEndpointServices = [...resolved.interfaceEndpoints];

    // ---- The VPC ----
    this.resource = this.createVpc(props.cidr, name);
    this.vpcId = this.resource.id;
    this.cidr = props.cidr;
    this.availabilityZones = [...props.availabilityZones];
    this.createEmptyDefaultSecurityGroup(name);

    // ---- Subnets ----
    const { zoneSubnets, cidrs } = this.createSubnets(props, resolved, name);
    this.publicSubnetIds = zoneSubnets.flatMap((z) => (z.public ? [z.public.id] : []));
    this.privateSubnetIds = zoneSubnets.flatMap((z) => (z.private ? [z.private.id] : []));
    this.isolatedSubnetIds = zoneSubnets.flatMap((z) => (z.isolated ? [z.isolated.id] : []));
    this.publicSubnetCidrs = cidrs.public;
    this.privateSubnetCidrs = cidrs.private;
    this.isolatedSubnetCidrs = cidrs.isolated;

    // ---- Routing: public, NAT gateways, private (and a transit gateway), isolated ----
    const internetGateway = resolved.hasPublic ? this.createPublicRouting(name, zoneSubnets) : undefined;
    const natGateways = this.createNatGateways(name, resolved.natMode, zoneSubnets, internetGateway);
    this.natGatewayMode = resolved.natMode;
    this.natGatewayCount = natGateways.size;
    const privateRouteTableIds = resolved.hasPrivate ? this.createPrivateRouting(name, zoneSubnets, natGateways) : [];
    if (resolved.transitGateway !== undefined) {
      this.createTransitGatewayRoutes(name, resolved.transitGateway, zoneSubnets, privateRouteTableIds);
    }
    const isolatedRouteTableIds = resolved.hasIsolated ? this.createIsolatedRouting(name, zoneSubnets) : [];

    // ---- Endpoints ----
    const endpointRouteTables = [...privateRouteTableIds, ...isolatedRouteTableIds];
    if ((props.gatewayEndpoints ?? true) && endpointRouteTables.length > 0) {
      this.s3PrefixListId = this.createGatewayEndpoints(stack, name, endpointRouteTables);
    }
    if (resolved.interfaceEndpoints.length > 0) {
      this.createInterfaceEndpoints(stack, name, props.cidr, resolved.interfaceEndpoints);
    }

    // ---- Subnet groups for the managed data stores ----
    if (resolved.hasIsolated) {
      const subnetGroups = this.createSubnetGroups(name);
      this._dbSubnetGroupName = subnetGroups.db;
      this._cacheSubnetGroupName = subnetGroups.cache;
    }

    // ---- Flow logs ----
    if (props.flowLogs ?? true) {
      this.flowLogGroupName = `/aws/vpc-flow-logs/${name}`;
      this.createFlowLogs(stack, name, props.flowLogTrafficType ?? FlowLogTrafficType.ALL, resolved.flowLogRetentionDays);
    } else {
      reportFinding(
        this,
        VPC_NO_FLOW_LOGS,
        'flow logs are off: there is no record of accepted or rejected traffic for incident response.',
      );
    }
  }

  /** Name of the RDS DB subnet group on the isolated tier. */
  public get dbSubnetGroupName(): string {
    if (this._dbSubnetGroupName === undefined) {
      throw new ValidationError(
        `VpcStack ${this.node.path}: has no DB subnet group because isolatedSubnets is false`,
      );
    }
    return this._dbSubnetGroupName;
  }

  /** Name of the ElastiCache subnet group on the isolated tier. */
  public get cacheSubnetGroupName(): string {
    if (this._cacheSubnetGroupName === undefined) {
      throw new ValidationError(
        `VpcStack ${this.node.path}: has no ElastiCache subnet group because isolatedSubnets is false`,
      );
    }
    return this._cacheSubnetGroupName;
  }

  /** Every prop checked and given its default, in the order of the errors: before any resource exists. */
  private resolveProps(stack: GroundworkStack, props: VpcStackProps): ResolvedVpcProps {
    const preset = stack.preset;
    const vpcCidr = this.validateCidr(props.cidr);
    const maxZones = props.maxAvailabilityZones ?? 6;
    checkIntegerInRange(this, 'maxAvailabilityZones', maxZones, 2, 16);
    const zones = this.validateZones(props.availabilityZones, stack.region, maxZones);
    const masks = this.validateMasks(props, vpcCidr, maxZones);

    const hasPublic = props.publicSubnets ?? true;
    const hasPrivate = props.privateSubnets ?? true;
    const hasIsolated = props.isolatedSubnets ?? true;
    if (!hasPublic && !hasPrivate && !hasIsolated) {
      invalidCombination(this, 'at least one of publicSubnets, privateSubnets, isolatedSubnets must be true');
    }
    if (props.natGateways !== undefined && props.natGateways !== NatGatewayMode.NONE && !hasPublic) {
      invalidCombination(
        this,
        `natGateways ${props.natGateways} needs public subnets for the NAT gateways, but publicSubnets is false; ` +
          'enable publicSubnets or set natGateways to NONE',
      );
    }
    const natMode = this.resolveNatMode(props.natGateways, preset.natGatewayPerAz, hasPublic, hasPrivate);
    const flowLogRetentionDays = props.flowLogRetentionDays ?? preset.logRetentionDays;
    checkLogRetentionDays(this, 'flowLogRetentionDays', flowLogRetentionDays);
    const interfaceEndpoints = this.validateInterfaceEndpoints(props.interfaceEndpoints ?? [], hasPrivate);
    const transitGateway = props.transitGateway === undefined ? undefined : this.validateTransitGateway(props.transitGateway, vpcCidr, hasPrivate);
    if (props.eksClusterName !== undefined && !EKS_CLUSTER_NAME_PATTERN.test(props.eksClusterName)) {
      invalidProp(
        this,
        'eksClusterName',
        'be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit',
        props.eksClusterName,
      );
    }
    return {
      vpcCidr,
      maxZones,
      zones,
      masks,
      hasPublic,
      hasPrivate,
      hasIsolated,
      natMode,
      flowLogRetentionDays,
      interfaceEndpoints,
      transitGateway,
    };
  }

  /** The VPC itself. */
  private createVpc(cidr: string, name: string): Vpc {
    return new Vpc(this, 'Resource', {
      cidrBlock: cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name },
    });
  }

  private createEmptyDefaultSecurityGroup(name: string): void {
    // An unused default security group with rules is a trap: anything launched without a
    // group lands in it. Managing it with no rules removes AWS's allow-all rules.
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', {
      vpcId: this.vpcId,
      tags: { Name: `${name}-default-do-not-use` },
    });
  }

  /** The subnets of each tier in each zone, on the address plan; and each tier's CIDR blocks. */
  private createSubnets(
    props: VpcStackProps,
    resolved: ResolvedVpcProps,
    name: string,
  ): { zoneSubnets: ZoneSubnets[]; cidrs: Record<TierName, string[]> } {
    const { zones, hasPublic, hasPrivate, hasIsolated } = resolved;
    const plan = planAddresses(resolved.vpcCidr, resolved.masks, resolved.maxZones);
    const clusterTag: Record<string, string> = props.eksClusterName
      ? { [`kubernetes.io/cluster/${props.eksClusterName}`]: 'shared' }
      : {};
    const subnetOf = (tier: TierName, zone: string, slot: number, extraTags: Record<string, string>) =>
      new Subnet(this, `${capitalize(tier)}Subnet-${zone}`, {
        vpcId: this.vpcId,
        availabilityZone: zone,
        cidrBlock: subnetCidr(plan.tiers[tier], slot),
        mapPublicIpOnLaunch: tier === 'public' ? (props.mapPublicIpOnLaunch ?? false) : false,
        tags: { Name: `${name}-${tier}-${zone}`, Tier: tier, ...extraTags },
      });
    const zoneSubnets: ZoneSubnets[] = zones.map(({ zone, slot }) => ({
      zone,
      slot,
      public: hasPublic ? subnetOf('public', zone, slot, { 'kubernetes.io/role/elb': '1', ...clusterTag }) : undefined,
      private: hasPrivate
        ? subnetOf('private', zone, slot, { 'kubernetes.io/role/internal-elb': '1', ...clusterTag })
        : undefined,
      isolated: hasIsolated ? subnetOf('isolated', zone, slot, {}) : undefined,
    }));
    const cidrsOf = (tier: TierName, enabled: boolean) =>
      enabled ? zones.map(({ slot }) => subnetCidr(plan.tiers[tier], slot)) : [];
    return {
      zoneSubnets,
      cidrs: { public: cidrsOf('public', hasPublic), private: cidrsOf('private', hasPrivate), isolated: cidrsOf('isolated', hasIsolated) },
    };
  }

  /** The internet gateway and the public subnets' route table; returns the gateway. */
  private createPublicRouting(name: string, zoneSubnets: ZoneSubnets[]): InternetGateway {
    const internetGateway = new InternetGateway(this, 'InternetGateway', {
      vpcId: this.vpcId,
      tags: { Name: name },
    });
    const publicRouteTable = new RouteTable(this, 'PublicRouteTable', {
      vpcId: this.vpcId,
      tags: { Name: `${name}-public` },
    });
    new Route(this, 'PublicDefaultRoute', {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });
    for (const z of zoneSubnets) {
      new RouteTableAssociation(this, `PublicRouteTableAssociation-${z.zone}`, {
        subnetId: z.public!.id,
        routeTableId: publicRouteTable.id,
      });
    }
    return internetGateway;
  }

  /** The NAT gateways of the mode, by zone. */
  private createNatGateways(
    name: string,
    natMode: NatGatewayMode,
    zoneSubnets: ZoneSubnets[],
    internetGateway: InternetGateway | undefined,
  ): Map<string, NatGateway> {
    // SINGLE mode puts the gateway in the zone with the lowest letter, under the same ID it
    // has in ONE_PER_AZ mode, so moving to ONE_PER_AZ later only adds gateways.
    const natZones =
      natMode === NatGatewayMode.NONE
        ? []
        : natMode === NatGatewayMode.SINGLE
          ? [zoneSubnets.reduce((a, b) => (b.slot < a.slot ? b : a))]
          : zoneSubnets;
    const natGateways = new Map<string, NatGateway>();
    for (const z of natZones) {
      const eip = new Eip(this, `NatEip-${z.zone}`, {
        domain: 'vpc',
        tags: { Name: `${name}-nat-${z.zone}` },
        dependsOn: internetGateway ? [internetGateway] : undefined,
      });
      natGateways.set(
        z.zone,
        new NatGateway(this, `NatGateway-${z.zone}`, {
          allocationId: eip.allocationId,
          subnetId: z.public!.id,
          connectivityType: 'public',
          tags: { Name: `${name}-${z.zone}` },
          dependsOn: internetGateway ? [internetGateway] : undefined,
        }),
      );
    }
    return natGateways;
  }

  /** Private routing: one table per zone, so the NAT mode can change without replacing tables. Returns the tables' IDs. */
  private createPrivateRouting(name: string, zoneSubnets: ZoneSubnets[], natGateways: Map<string, NatGateway>): string[] {
    const privateRouteTableIds: string[] = [];
    const singleNat = natGateways.size > 0 ? [...natGateways.values()][0] : undefined;
    for (const z of zoneSubnets) {
      const table = new RouteTable(this, `PrivateRouteTable-${z.zone}`, {
        vpcId: this.vpcId,
        tags: { Name: `${name}-private-${z.zone}` },
      });
      privateRouteTableIds.push(table.id);
      const nat = natGateways.get(z.zone) ?? singleNat;
      if (nat) {
        new Route(this, `PrivateDefaultRoute-${z.zone}`, {
          routeTableId: table.id,
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: nat.id,
        });
      }
      new RouteTableAssociation(this, `PrivateRouteTableAssociation-${z.zone}`, {
        subnetId: z.private!.id,
        routeTableId: table.id,
      });
    }
    if (natGateways.size === 0) {
      reportFinding(
        this,
        VPC_NO_NAT,
        'private subnets have no NAT gateway, so workloads in them cannot reach the internet ' +
          '(image registries, AWS APIs without endpoints).',
      );
    }
    return privateRouteTableIds;
  }

  /** Networks behind a transit gateway, from the private subnets only. */
  private createTransitGatewayRoutes(
    name: string,
    transitGateway: TransitGatewayRouting,
    zoneSubnets: ZoneSubnets[],
    privateRouteTableIds: string[],
  ): void {
    const attachment = new Ec2TransitGatewayVpcAttachment(this, 'TransitGatewayAttachment', {
      transitGatewayId: transitGateway.transitGatewayId,
      vpcId: this.vpcId,
      subnetIds: zoneSubnets.map((z) => z.private!.id),
      dnsSupport: 'enable',
      tags: { Name: `${name}-transit-gateway` },
    });
    zoneSubnets.forEach((z, i) => {
      for (const cidr of transitGateway.destinationCidrs) {
        new Route(this, `TransitGatewayRoute-${z.zone}-${cidr.replace(/\//g, '_')}`, {
          routeTableId: privateRouteTableIds[i],
          destinationCidrBlock: cidr,
          transitGatewayId: transitGateway.transitGatewayId,
          dependsOn: [attachment],
        });
      }
    });
  }

  /** Isolated routing: a single table with only the local route (and gateway endpoints). Returns its ID. */
  private createIsolatedRouting(name: string, zoneSubnets: ZoneSubnets[]): string[] {
    const table = new RouteTable(this, 'IsolatedRouteTable', {
      vpcId: this.vpcId,
      tags: { Name: `${name}-isolated` },
    });
    for (const z of zoneSubnets) {
      new RouteTableAssociation(this, `IsolatedRouteTableAssociation-${z.zone}`, {
        subnetId: z.isolated!.id,
        routeTableId: table.id,
      });
    }
    return [table.id];
  }

  /** The S3 and DynamoDB gateway endpoints; returns S3's prefix list ID. */
  private createGatewayEndpoints(stack: GroundworkStack, name: string, routeTableIds: string[]): string | undefined {
    let s3PrefixListId: string | undefined;
    for (const [endpointId, service] of [
      ['S3Endpoint', 's3'],
      ['DynamoDbEndpoint', 'dynamodb'],
    ]) {
      const endpoint = new VpcEndpoint(this, endpointId, {
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${stack.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds,
        tags: { Name: `${name}-${service}` },
      });
      if (service === 's3') s3PrefixListId = endpoint.prefixListId;
    }
    return s3PrefixListId;
  }

  /** The interface endpoints in the private subnets, behind a security group open to the VPC on 443. */
  private createInterfaceEndpoints(stack: GroundworkStack, name: string, vpcCidr: string, services: string[]): void {
    const endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      name: `${name}-endpoints`,
      description: `Interface VPC endpoints of ${name}: HTTPS from inside the VPC only`,
      vpcId: this.vpcId,
      tags: { Name: `${name}-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'EndpointHttpsFromVpc', {
      securityGroupId: endpointSecurityGroup.id,
      description: 'HTTPS to the AWS service endpoints from anywhere in the VPC',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: vpcCidr,
    });
    for (const service of services) {
      new VpcEndpoint(this, `InterfaceEndpoint-${service}`, {
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${stack.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.privateSubnetIds,
        securityGroupIds: [endpointSecurityGroup.id],
        tags: { Name: `${name}-${service}` },
      });
    }
  }

  /** The RDS and ElastiCache subnet groups on the isolated tier; returns their names. */
  private createSubnetGroups(name: string): { db: string; cache: string } {
    const db = new DbSubnetGroup(this, 'DbSubnetGroup', {
      name: name,
      description: `Isolated subnets of ${name} for RDS`,
      subnetIds: this.isolatedSubnetIds,
      tags: { Name: name },
    }).name;
    const cache = new ElasticacheSubnetGroup(this, 'CacheSubnetGroup', {
      name: name,
      description: `Isolated subnets of ${name} for ElastiCache`,
      subnetIds: this.isolatedSubnetIds,
      tags: { Name: name },
    }).name;
    return { db, cache };
  }

  private createFlowLogs(
    stack: GroundworkStack,
    name: string,
    trafficType: FlowLogTrafficType,
    retentionDays: number,
  ): void {
    const logGroup = new EncryptedLogGroup(this, 'FlowLogGroup', {
      logGroupName: this.flowLogGroupName!,
      retentionDays,
      description: `VPC flow logs of ${name}`,
    });
    const role = new IamRole(this, 'FlowLogRole', {
      name: `${name}-flow-logs`.slice(0, 64),
      description: `Lets VPC Flow Logs deliver the flow logs of ${name} to CloudWatch Logs`,
      assumeRolePolicy: policyDocument([
        {
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          // Confused-deputy protection: only flow logs of this account may assume the role.
          Condition: {
            StringEquals: { 'aws:SourceAccount': stack.accountId },
            ArnLike: {
              'aws:SourceArn': `arn:${stack.partition}:ec2:${stack.region}:${stack.accountId}:vpc-flow-log/*`,
            },
          },
        },
      ]),
    });
    new IamRolePolicy(this, 'FlowLogRolePolicy', {
      name: 'deliver-to-flow-log-group',
      role: role.id,
      policy: policyDocument([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`],
        },
      ]),
    });
    new FlowLog(this, 'FlowLog', {
      vpcId: this.vpcId,
      trafficType: trafficType,
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.logGroupArn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: name },
    });
  }

  private validateCidr(cidr: string): ParsedCidr {
    if (Token.isUnresolved(cidr)) {
      invalidProp(this, 'cidr', 'be a literal CIDR (the subnet plan is computed at synth time)', cidr);
    }
    const parsed = parseCidr(cidr);
    if (!parsed) {
      invalidProp(this, 'cidr', 'be a valid IPv4 CIDR block (a.b.c.d/n with no host bits set)', cidr);
    }
    if (parsed.prefix < 16 || parsed.prefix > 28) {
      invalidProp(this, 'cidr', 'have a prefix from /16 to /28 (the sizes AWS allows for a VPC)', cidr);
    }
    return parsed;
  }

  private validateZones(zones: string[], region: string, maxZones: number): { zone: string; slot: number }[] {
    if (!Array.isArray(zones) || zones.length < 2 || zones.length > 6) {
      invalidProp(
        this,
        'availabilityZones',
        'list 2 to 6 zones (RDS subnet groups, EKS and Multi-AZ failover need at least two)',
        zones,
      );
    }
    const seen = new Set<string>();
    const result: { zone: string; slot: number }[] = [];
    for (const zone of zones) {
      const match = AZ_PATTERN.exec(zone);
      if (!match) {
        invalidProp(this, 'availabilityZones', 'contain zone names such as eu-west-1a', zone);
      }
      if (seen.has(zone)) {
        invalidProp(this, 'availabilityZones', 'not repeat a zone', zones);
      }
      seen.add(zone);
      if (match[1] !== region) {
        invalidProp(this, 'availabilityZones', `all be in the stack's region ${region}`, zones);
      }
      const slot = match[2].charCodeAt(0) - 'a'.charCodeAt(0);
      if (slot >= maxZones) {
        invalidProp(
          this,
          'availabilityZones',
          `use zone letters below the maxAvailabilityZones reserved slots (${maxZones}: a-${String.fromCharCode(96 + maxZones)})`,
          zone,
        );
      }
      result.push({ zone, slot });
    }
    return result;
  }

  private validateMasks(props: VpcStackProps, vpc: ParsedCidr, maxZones: number): Record<TierName, number> {
    const masks: Record<TierName, number> = {
      private: props.privateSubnetMask ?? Math.min(vpc.prefix + 4, 28),
      public: props.publicSubnetMask ?? Math.min(vpc.prefix + 6, 28),
      isolated: props.isolatedSubnetMask ?? Math.min(vpc.prefix + 6, 28),
    };
    for (const [tier, mask] of Object.entries(masks)) {
      checkIntegerInRange(this, `${tier}SubnetMask`, mask, vpc.prefix + 1, 28);
    }
    const plan = planAddresses(vpc, masks, maxZones);
    if (plan.addressesNeeded > plan.addressesAvailable) {
      invalidCombination(
        this,
        `subnet masks do not fit the VPC: ${maxZones} zone slots of private /${masks.private}, ` +
          `public /${masks.public} and isolated /${masks.isolated} need ${plan.addressesNeeded} addresses, ` +
          `the VPC ${props.cidr} has ${plan.addressesAvailable}; use larger masks (smaller subnets), ` +
          'a larger VPC or fewer maxAvailabilityZones',
      );
    }
    return masks;
  }

  private resolveNatMode(
    requested: NatGatewayMode | undefined,
    perAzByPreset: boolean,
    hasPublic: boolean,
    hasPrivate: boolean,
  ): NatGatewayMode {
    if (requested !== undefined) {
      if (!Object.values(NatGatewayMode).includes(requested)) {
        invalidProp(this, 'natGateways', `be one of ${Object.values(NatGatewayMode).join(', ')}`, requested);
      }
      return hasPrivate ? requested : NatGatewayMode.NONE;
    }
    if (!hasPublic || !hasPrivate) {
      return NatGatewayMode.NONE;
    }
    return perAzByPreset ? NatGatewayMode.ONE_PER_AZ : NatGatewayMode.SINGLE;
  }

  private validateTransitGateway(routing: TransitGatewayRouting, vpcCidr: ParsedCidr, hasPrivate: boolean): TransitGatewayRouting {
    if (!hasPrivate) {
      invalidCombination(this, 'transitGateway needs private subnets (the attachment and the routes are theirs), but privateSubnets is false');
    }
    if (Token.isUnresolved(routing.transitGatewayId) || !/^tgw-([0-9a-f]{8}|[0-9a-f]{17})$/.test(routing.transitGatewayId)) {
      invalidProp(this, 'transitGateway.transitGatewayId', 'be a transit gateway ID: "tgw-" and 8 or 17 lowercase hex digits', routing.transitGatewayId);
    }
    const cidrs = checkIpv4Cidrs(this, 'transitGateway.destinationCidrs', routing.destinationCidrs);
    if (Token.isUnresolved(cidrs) || cidrs.length === 0 || cidrs.some((c) => Token.isUnresolved(c))) {
      invalidProp(this, 'transitGateway.destinationCidrs', 'list at least one literal IPv4 CIDR block (one route per block and zone)', cidrs);
    }
    for (const [i, cidr] of cidrs.entries()) {
      const parsed = parseCidr(cidr)!;
      if (parsed.prefix === 0) {
        invalidProp(this, `transitGateway.destinationCidrs[${i}]`, 'not be a default route (the private subnets reach the internet through NAT)', cidr);
      }
      if (cidrsOverlap(parsed, vpcCidr)) {
        invalidProp(this, `transitGateway.destinationCidrs[${i}]`, 'not overlap the VPC\'s own CIDR (its local route would win)', cidr);
      }
    }
    return routing;
  }

  private validateInterfaceEndpoints(services: string[], hasPrivate: boolean): string[] {
    if (services.length > 0 && !hasPrivate) {
      invalidCombination(this, 'interfaceEndpoints need the private tier, but privateSubnets is false');
    }
    const seen = new Set<string>();
    for (const service of services) {
      if (!ENDPOINT_SERVICE_PATTERN.test(service) || service.startsWith('com.')) {
        invalidProp(
          this,
          'interfaceEndpoints',
          'contain service suffixes such as "ecr.api" or "sts" (without com.amazonaws.<region>.)',
          service,
        );
      }
      if (seen.has(service)) {
        invalidProp(this, 'interfaceEndpoints', 'not repeat a service', services);
      }
      seen.add(service);
    }
    return services;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
