import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalidCombination } from '../../core/private/errors';
import { VpcStack } from '../vpc-stack';

/**
 * Throws, labelled with the data store, when a service in another VPC asks for it: security
 * group rules cannot reference groups across VPCs, and the pods would have no route. The VPC IDs
 * are Terraform tokens at synth, so the VPCs are named by construct path and CIDR block.
 *
 * @param store the data store
 * @param what what the data store is, e.g. "this database"
 */
export function checkServiceInSameVpc(store: IConstruct, storeVpcId: string, serviceName: string, serviceVpcId: string, what: string): void {
  if (serviceVpcId === storeVpcId) return;
  const label = (vpcId: string) => {
    const vpc = store.node.root.node.findAll().find((c): c is VpcStack => c instanceof VpcStack && c.vpcId === vpcId);
    return vpc !== undefined ? `${vpc.node.path} (${vpc.cidr})` : Token.isUnresolved(vpcId) ? 'of an unresolved ID' : vpcId;
  };
  invalidCombination(
    store,
    `service "${serviceName}" runs in VPC ${label(serviceVpcId)} but ${what} is in VPC ${label(storeVpcId)}; ` +
      'a service can only be granted data stores in its own VPC',
  );
}
