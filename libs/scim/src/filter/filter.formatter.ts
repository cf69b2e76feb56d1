import { AttrPath, FilterNode, formatAttrPath } from './filter.ast';

/**
 * Writes an AST back as filter text that {@link parseFilter} reads to the same AST: lower-case operators, JSON
 * values, parentheses only where precedence needs them. The text contains the filter's values, so it is for
 * building filters and for tests, never for error details or logs.
 */
export function formatFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'or':
      return `${formatFilter(node.left)} or ${group(node.right, node.right.kind === 'or')}`;
    case 'and':
      return `${group(node.left, node.left.kind === 'or')} and ${group(node.right, node.right.kind === 'or' || node.right.kind === 'and')}`;
    case 'not':
      return `not (${formatFilter(node.filter)})`;
    case 'valuePath':
      return `${formatAttrPath(node.path)}[${formatFilter(node.filter)}]`;
    case 'present':
      return `${formatPath(node.path)} pr`;
    case 'compare':
      return `${formatPath(node.path)} ${node.op} ${JSON.stringify(node.value)}`;
  }
}

function group(node: FilterNode, parenthesise: boolean): string {
  return parenthesise ? `(${formatFilter(node)})` : formatFilter(node);
}

function formatPath(path: AttrPath): string {
  if (path.valueFilter === undefined) return formatAttrPath(path);
  const parent = formatAttrPath({ schema: path.schema, attribute: path.attribute });
  return `${parent}[${formatFilter(path.valueFilter)}].${path.subAttribute ?? ''}`;
}
