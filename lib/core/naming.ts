import { createHash } from 'crypto';

/**
 * Helpers that turn construct names into AWS resource names that respect the service's
 * limits. Names are deterministic: the same inputs always give the same name, so plans
 * stay stable.
 */
export class Naming {
  /**
   * Joins parts with `-`, lowercases them, keeps only `[a-z0-9-]`, collapses repeated
   * dashes, and when the result exceeds `maxLength` shortens it and appends an 8-character
   * hash of the full name so that two long names stay distinct.
   *
   * @param parts the name's parts, e.g. `['shop', 'production', 'vpc']`
   * @param maxLength the service's length limit
   */
  public static resourceName(parts: string[], maxLength: number = 63): string {
    const full = parts
      .join('-')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '');
    if (full.length <= maxLength) {
      return full;
    }
    const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
    return `${full.slice(0, maxLength - hash.length - 1).replace(/-$/, '')}-${hash}`;
  }
}
