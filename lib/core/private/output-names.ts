/**
 * An identifier for Terraform outputs and variables derived from a construct path, readable
 * and stable (never a hash): `Data/Cache` becomes `data_cache`, `OrdersDatabase`
 * `orders_database`. Pipelines read outputs by these names (`terraform output -raw
 * cache_primary_endpoint`).
 */
export function terraformIdentifier(pathParts: string[]): string {
  const joined = pathParts
    .join('_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return /^[a-z_]/.test(joined) ? joined : `_${joined}`;
}
