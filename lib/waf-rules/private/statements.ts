/**
 * The internal form of WAF rule statements: what `WafStatement` factories build, rendered into
 * the provider's `statement` block (snake_case, as Terraform JSON takes nested blocks) and
 * priced in web ACL capacity units (WCUs).
 *
 * WCU prices follow the AWS WAF Developer Guide, "Using match rule statements" and "Using
 * logical rule statements": string match 2 (EXACTLY / STARTS_WITH) + 10 per text
 * transformation, geo match 1, IP set reference 1, label match 1, size constraint 1 + 10 per
 * transformation, logical statements the sum of what they nest. AWS may charge less when
 * rules share transformations, so these figures are an upper bound.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-match.html
 */

/** The request components a string match statement of this library can inspect. */
export type MatchField = 'uriPath' | 'method' | 'hostHeader';

export type StatementNode =
  | {
      readonly kind: 'byteMatch';
      readonly field: MatchField;
      readonly positionalConstraint: 'EXACTLY' | 'STARTS_WITH';
      readonly searchString: string;
      readonly textTransformations: readonly string[];
    }
  | { readonly kind: 'geoMatch'; readonly countryCodes: readonly string[] }
  | { readonly kind: 'ipSetReference'; readonly arn: string }
  | { readonly kind: 'labelMatch'; readonly key: string }
  | { readonly kind: 'and' | 'or'; readonly statements: readonly StatementNode[] }
  | { readonly kind: 'not'; readonly statement: StatementNode };

/** Text transformations applied to URI paths: decode, then resolve `//`, `/./` and `/../`. */
export const PATH_TRANSFORMATIONS: readonly string[] = ['URL_DECODE', 'NORMALIZE_PATH'];

const TRANSFORMATION_WCU = 10;
const FIELD_TO_MATCH: Record<MatchField, Record<string, unknown>> = {
  uriPath: { uri_path: {} },
  method: { method: {} },
  hostHeader: { single_header: { name: 'host' } },
};

/** Text transformations as the provider's set of `{priority, type}` blocks; NONE when empty. */
export function textTransformationBlocks(types: readonly string[]): Array<{ priority: number; type: string }> {
  return types.length === 0 ? [{ priority: 0, type: 'NONE' }] : types.map((type, priority) => ({ priority, type }));
}

/** The statement as the provider's `statement` block (Terraform JSON, snake_case). */
export function renderStatement(node: StatementNode): Record<string, unknown> {
  switch (node.kind) {
    case 'byteMatch':
      return {
        byte_match_statement: {
          search_string: node.searchString,
          positional_constraint: node.positionalConstraint,
          field_to_match: FIELD_TO_MATCH[node.field],
          text_transformation: textTransformationBlocks(node.textTransformations),
        },
      };
    case 'geoMatch':
      return { geo_match_statement: { country_codes: [...node.countryCodes] } };
    case 'ipSetReference':
      return { ip_set_reference_statement: { arn: node.arn } };
    case 'labelMatch':
      return { label_match_statement: { scope: 'LABEL', key: node.key } };
    case 'and':
      return { and_statement: { statement: node.statements.map(renderStatement) } };
    case 'or':
      return { or_statement: { statement: node.statements.map(renderStatement) } };
    case 'not':
      return { not_statement: { statement: [renderStatement(node.statement)] } };
  }
}

/** The statement's cost in web ACL capacity units. */
export function statementCapacity(node: StatementNode): number {
  switch (node.kind) {
    case 'byteMatch':
      return 2 + TRANSFORMATION_WCU * node.textTransformations.length;
    case 'geoMatch':
    case 'ipSetReference':
    case 'labelMatch':
      return 1;
    case 'and':
    case 'or':
      return node.statements.reduce((sum, s) => sum + statementCapacity(s), 0);
    case 'not':
      return statementCapacity(node.statement);
  }
}

/** How many logical statements (and / or / not) are nested, counting the outermost. */
export function logicalDepth(node: StatementNode): number {
  switch (node.kind) {
    case 'and':
    case 'or':
      return 1 + Math.max(...node.statements.map(logicalDepth));
    case 'not':
      return 1 + logicalDepth(node.statement);
    default:
      return 0;
  }
}

/** Every statement in the tree, outermost first. */
export function allStatements(node: StatementNode): StatementNode[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [node, ...node.statements.flatMap(allStatements)];
    case 'not':
      return [node, ...allStatements(node.statement)];
    default:
      return [node];
  }
}

/** A short human description of a statement, for error messages. */
export function describeStatement(node: StatementNode): string {
  switch (node.kind) {
    case 'byteMatch':
      return `${node.field} ${node.positionalConstraint === 'EXACTLY' ? 'equals' : 'starts with'} "${node.searchString}"`;
    case 'geoMatch':
      return `country in ${JSON.stringify(node.countryCodes)}`;
    case 'ipSetReference':
      return `IP set ${node.arn}`;
    case 'labelMatch':
      return `label ${node.key}`;
    case 'and':
    case 'or':
      return `${node.kind === 'and' ? 'allOf' : 'anyOf'}(${node.statements.map(describeStatement).join(', ')})`;
    case 'not':
      return `negate(${describeStatement(node.statement)})`;
  }
}
