import { IConstruct } from 'constructs';
import { reportFinding } from '../../checks/report';
import { K8S_INTERNAL_LB_SOURCE } from '../../checks/rules/constructs/k8s-internal-lb-source';
import { IServiceDataStore } from '../../core/connections';
import { constructLabel, invalidCombination, invalidProp } from '../../core/private/errors';
import { VpcStack } from '../../vpc-stack/vpc-stack';
import type { AppService } from '../service';
import { ServiceRouteType, WorkloadIdentity } from '../service';
import type { AppWorkloadChartProps } from '../workload-chart';

/**
 * How a workload chart built from a service derives its names, ports and network rules from the
 * service's declaration, and the checks of what still crosses the two trees. Values the
 * consumer passes as well must agree with the service: the two halves of one service cannot
 * disagree.
 */

/** One egress rule to a granted data store. */
export interface DataStoreEgress {
  readonly cidrs: string[];
  readonly port: number;
}

/** What the chart takes from the service, beyond its own props. */
export interface ServiceDerivedProps {
  readonly props: AppWorkloadChartProps & { readonly appName: string; readonly namespace: string };
  readonly dataStoreEgress: DataStoreEgress[];
  /** EKS Pod Identity: the pods fetch credentials from the node's agent at 169.254.170.23:80. */
  readonly podIdentityAgentEgress: boolean;
  /** Seconds the target group drains a deregistered pod; 0 without a load balancer. */
  readonly deregistrationDelaySeconds: number;
  /** The grants the chart was built with, to notice grants made after it. */
  readonly grantCount: number;
}

/** The EKS Pod Identity agent's link-local address, which the pods' SDKs call for credentials. */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';
export const POD_IDENTITY_AGENT_PORT = 80;

/**
 * Connections RDS for PostgreSQL keeps for administrators: `superuser_reserved_connections` (3)
 * and `rds.rds_superuser_reserved_connections` (2). The services' pools must fit in the rest.
 */
export const POSTGRES_RESERVED_CONNECTIONS = 5;

/** The connection pool each pod opens to each granted PostgreSQL database, unless the chart says otherwise. */
export const DEFAULT_DATABASE_CONNECTIONS_PER_POD = 10;

/**
 * Fills the chart's props from the service. A prop given as well must equal the service's value;
 * props the service owns outright (the data store egress, the service account's role) are
 * refused.
 */
export function deriveFromService(scope: IConstruct, service: AppService, props: AppWorkloadChartProps): ServiceDerivedProps {
  const agree = <T>(property: string, given: T | undefined, expected: T, what: string): T => {
    if (given !== undefined && given !== expected) {
      invalidProp(
        scope,
        property,
        `equal the service's ${what} ${JSON.stringify(expected)} (${constructLabel(service)}), or be left out: the two halves of one service must agree`,
        given,
      );
    }
    return expected;
  };
  const appName = agree('appName', props.appName, service.name, 'name');
  const namespace = agree('namespace', props.namespace, service.namespace, 'namespace');
  const serviceAccountName = agree('serviceAccountName', props.serviceAccountName, service.serviceAccountName, 'service account');
  const containerPort = agree('containerPort', props.containerPort, service.port, 'port (its target group port)');
  const servicePort = agree('servicePort', props.servicePort, service.servicePort, 'Kubernetes Service port (its TargetGroupBinding port)');
  for (const owned of ['manageNamespace', 'manageServiceAccount'] as const) {
    if (props[owned] === true) {
      invalidProp(scope, owned, "be left out with service: the bootstrap stack owns the service's namespace and service account", true);
    }
  }
  for (const owned of ['serviceAccountRoleArn', 'dataStoreCidrs', 'dataStorePorts'] as const) {
    if (props[owned] !== undefined) {
      invalidProp(
        scope,
        owned,
        `be left out with service: ${owned === 'serviceAccountRoleArn' ? "the service's role is bound in AWS and by the bootstrap stack" : "the service's data store egress follows its connectTo grants"}`,
        props[owned],
      );
    }
  }

  const grants = service.connections;
  const secretNames = [...(props.envFromSecretNames ?? [])];
  if (grants.length > 0 && !secretNames.includes(service.connectionSecretName)) secretNames.unshift(service.connectionSecretName);
  const configMapNames = [...(props.envFromConfigMapNames ?? [])];
  if (!configMapNames.includes(service.infrastructureConfigMapName)) configMapNames.unshift(service.infrastructureConfigMapName);

  const connectionsPerPod = props.databaseConnectionsPerPod ?? DEFAULT_DATABASE_CONNECTIONS_PER_POD;
  const settings: Record<string, string> = { ...(props.settings ?? {}) };
  for (const grant of grants.filter((g) => g.maxConnections !== undefined)) {
    // The pool size the connection budget assumes is what the app is told to use.
    const key = `${grant.keyPrefix}_POOL_MAX`;
    agree(`settings.${key}`, settings[key], String(connectionsPerPod), 'databaseConnectionsPerPod, as');
    settings[key] = String(connectionsPerPod);
  }

  if (service.loadBalancer?.internal && props.loadBalancerSourceCidrs === undefined) {
    reportFinding(
      scope,
      K8S_INTERNAL_LB_SOURCE,
      `${constructLabel(service)} sits behind an internal load balancer, whose addresses come from ` +
        "the private subnets the cluster's nodes and pods use too: the NetworkPolicy that admits the load balancer admits " +
        "every pod in those subnets to the app port. Give the load balancer subnets of its own, or narrow loadBalancerSourceCidrs.",
    );
  }
  return {
    props: {
      ...props,
      appName,
      namespace,
      serviceAccountName,
      containerPort,
      servicePort,
      manageNamespace: false,
      manageServiceAccount: false,
      settings,
      envFromSecretNames: secretNames,
      envFromConfigMapNames: configMapNames,
      loadBalancerSourceCidrs: props.loadBalancerSourceCidrs ?? loadBalancerSubnetCidrs(service),
    },
    dataStoreEgress: grants.map((g) => ({ cidrs: g.subnetCidrs, port: g.port })),
    podIdentityAgentEgress: service.identity === WorkloadIdentity.POD_IDENTITY,
    deregistrationDelaySeconds: service.deregistrationDelaySeconds,
    grantCount: grants.length,
  };
}

/**
 * Where the service's load balancer sends from: its subnets (public for an internet-facing one,
 * private for an internal one), or the VPC when the subnets' CIDR blocks are not known.
 */
function loadBalancerSubnetCidrs(service: AppService): string[] | undefined {
  if (service.routeType === ServiceRouteType.NONE || service.loadBalancer === undefined) return undefined;
  const vpc = service.cluster.vpc;
  if (vpc instanceof VpcStack) {
    const cidrs = service.loadBalancer.internal ? vpc.privateSubnetCidrs : vpc.publicSubnetCidrs;
    if (cidrs.length > 0) return cidrs;
  }
  return [vpc.cidr];
}

/**
 * A pod lives `terminationGracePeriodSeconds` after it starts terminating: the preStop sleep,
 * then the app's own shutdown. The target group keeps sending it the requests already in flight
 * for `deregistrationDelaySeconds`; a pod that dies first drops them.
 */
export function checkDrainCoversDeregistration(
  scope: IConstruct,
  service: AppService,
  preStopSleepSeconds: number,
  terminationGracePeriodSeconds: number,
): void {
  const delay = service.deregistrationDelaySeconds;
  if (terminationGracePeriodSeconds < delay) {
    invalidCombination(
      scope,
      `preStopSleepSeconds (${preStopSleepSeconds}) + shutdown time (${terminationGracePeriodSeconds - preStopSleepSeconds}) = ` +
        `terminationGracePeriodSeconds ${terminationGracePeriodSeconds} s must cover the deregistration delay of ${delay} s of ` +
        `${constructLabel(service)}: the load balancer still sends in-flight requests to a pod that Kubernetes has already killed. ` +
        "Raise terminationGracePeriodSeconds (or preStopSleepSeconds), or lower the service's deregistrationDelaySeconds",
    );
  }
}

/** Connection pools at full scale per database, by the chart that declared them. */
const connectionDemand = new WeakMap<IServiceDataStore, Map<IConstruct, { label: string; connections: number }>>();

/** The rolling update's surge: one pod more than the autoscaler's count while a rollout runs. */
const ROLLOUT_SURGE_PODS = 1;

/**
 * Adds this workload's pools at full scale ((`maxReplicas` + the rollout's surge pod) ×
 * `connectionsPerPod`) to each granted database's budget, and throws when the workloads of all
 * services then exceed `max_connections` less the reserved connections: at full scale, during
 * a rollout, new connections would fail.
 */
export function checkConnectionBudget(scope: IConstruct, service: AppService, maxReplicas: number, connectionsPerPod: number): void {
  for (const grant of service.connections) {
    if (grant.maxConnections === undefined) continue;
    const demand = connectionDemand.get(grant.store) ?? new Map<IConstruct, { label: string; connections: number }>();
    connectionDemand.set(grant.store, demand);
    const pods = maxReplicas + ROLLOUT_SURGE_PODS;
    demand.set(scope, { label: `${constructLabel(scope)} ((${maxReplicas} + ${ROLLOUT_SURGE_PODS} surge) × ${connectionsPerPod})`, connections: pods * connectionsPerPod });
    const total = [...demand.values()].reduce((sum, d) => sum + d.connections, 0);
    const budget = grant.maxConnections - POSTGRES_RESERVED_CONNECTIONS;
    if (total > budget) {
      invalidCombination(
        scope,
        `(maxReplicas + 1 rollout surge pod) × databaseConnectionsPerPod of the workloads on ${grant.description} add up to ${total} connections ` +
          `(${[...demand.values()].map((d) => `${d.label} = ${d.connections}`).join(', ')}), above its max_connections ` +
          `${grant.maxConnections} less ${POSTGRES_RESERVED_CONNECTIONS} reserved for administrators (${budget}): at full scale new ` +
          'connections would fail. Lower maxReplicas or databaseConnectionsPerPod, put a pooler in front, or use a larger instance class',
      );
    }
  }
}
