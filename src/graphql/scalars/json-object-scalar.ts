import { GraphQLError, GraphQLScalarType, type ValueNode } from 'graphql';
import { JSONObjectResolver } from 'graphql-scalars';

// Bounds of any JSON object a client sends (a create's metadata): enough for real attribution data,
// far below what could overflow the stack of code that walks it or bloat a stored row.
const MAX_DEPTH = 16;
const MAX_JSON_BYTES = 64 * 1024;

/**
 * graphql-scalars' JSONObject, bounded: nesting and size are checked without recursion (a value
 * nested 200,000 levels deep must be refused, not overflow the stack), and every refusal is worded
 * here rather than quoting the value.
 */
export const JsonObjectScalar = new GraphQLScalarType({
  ...JSONObjectResolver.toConfig(),
  parseValue: (value) => bounded(() => JSONObjectResolver.parseValue(value)),
  parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) =>
    bounded(() => JSONObjectResolver.parseLiteral(ast, variables)),
});

function bounded(parse: () => unknown): unknown {
  let value: unknown;
  try {
    value = parse();
  } catch {
    throw new GraphQLError('JSONObject: must be a JSON object');
  }
  if (depthOf(value) > MAX_DEPTH) throw new GraphQLError(`JSONObject: must nest at most ${MAX_DEPTH} levels`);
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_JSON_BYTES) {
    throw new GraphQLError(`JSONObject: must be at most ${MAX_JSON_BYTES} bytes of JSON`);
  }
  return value;
}

/** How deep objects and arrays nest in a value, found with an explicit stack, stopping early. */
function depthOf(value: unknown): number {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let deepest = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, depth } = next;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(current)) pending.push({ value: child, depth: depth + 1 });
  }
  return deepest;
}
