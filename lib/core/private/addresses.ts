// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeUniqueId } = require('cdktf/lib/private/unique') as { makeUniqueId: (components: string[]) => string };

/**
 * The Terraform address a resource of `type` gets at `path` below its stack
 * (`aws_iam_role.App_AppServiceAccountRole_E96E30EC` for `['App', 'AppServiceAccountRole']`),
 * computed as cdktf's default logical ID allocation does. Used for `moved` blocks from addresses
 * that earlier releases gave resources which now live elsewhere in the tree; the
 * address-stability test proves the computation against the committed baseline.
 */
export function addressAt(type: string, path: string[]): string {
  return `${type}.${makeUniqueId(path)}`;
}
