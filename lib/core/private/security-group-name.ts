import { IConstruct } from 'constructs';
import { invalidProp, isLiteral } from './errors';

/**
 * EC2 rejects security group names starting with "sg-" (the prefix of group IDs), and names
 * are case-insensitive. The offline plan cannot see that; the apply would fail halfway.
 */
export function startsWithSecurityGroupIdPrefix(name: string): boolean {
  return name.toLowerCase().startsWith('sg-');
}

/**
 * Throws when the prop the consumer set would name a security group starting with "sg-".
 *
 * @param property the prop the group name derives from, as the consumer wrote it
 * @param received that prop's value
 * @param groupName the security group name derived from it
 */
export function checkSecurityGroupName(scope: IConstruct, property: string, received: string, groupName: string): void {
  if (!isLiteral(groupName) || !startsWithSecurityGroupIdPrefix(groupName)) return;
  invalidProp(
    scope,
    property,
    `not start with "sg-": it names the security group "${groupName}", and EC2 reserves that prefix for security group IDs`,
    received,
  );
}
