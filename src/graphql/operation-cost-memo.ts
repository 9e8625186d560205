import { visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { costOfOperation } from './operation-cost.ts';

/** Arguments whose values change an operation's cost: list sizes, and the conditions of @skip / @include. */
const COST_ARGUMENTS = new Set(['first', 'representations', 'if']);

/** Distinct variable values remembered per document, beyond which its memory starts again. */
const MAX_COSTS_PER_DOCUMENT = 64;

interface DocumentCosts {
  /** The variables that reach a cost argument, in a fixed order. */
  readonly costVariables: readonly string[];
  readonly costs: Map<string, number>;
}

/**
 * Remembers what operations cost, so a document seen before is not walked again on every request:
 * walking it costs as much as executing a small read. Apollo Server hands the same DocumentNode for
 * the same query text (its parsed-document cache), so costs hang off that object and go with it.
 * A cost depends on the document, the operation, and only the variables that reach a list size or
 * a @skip/@include condition: those, not an intent id, are the key. A list's variable counts by its
 * length (`_entities` representations). Unknown costs (variables that do not fit) are not kept.
 */
export class OperationCostMemo {
  readonly #byDocument = new WeakMap<DocumentNode, DocumentCosts>();

  costOf(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown>,
    operationName: string | undefined,
  ): number | null {
    let known = this.#byDocument.get(document);
    if (known === undefined) {
      known = { costVariables: costVariablesOf(document), costs: new Map() };
      this.#byDocument.set(document, known);
    }
    const key = JSON.stringify([
      operationName ?? null,
      ...known.costVariables.map((name) => {
        const value = variables[name];
        return Array.isArray(value) ? { length: value.length } : (value ?? null);
      }),
    ]);
    const remembered = known.costs.get(key);
    if (remembered !== undefined) return remembered;
    const cost = costOfOperation(schema, document, variables, operationName);
    if (cost !== null) {
      if (known.costs.size >= MAX_COSTS_PER_DOCUMENT) known.costs.clear();
      known.costs.set(key, cost);
    }
    return cost;
  }
}

function costVariablesOf(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(argument) {
      if (!COST_ARGUMENTS.has(argument.name.value)) return;
      visit(argument.value, {
        Variable(variable) {
          names.add(variable.name.value);
        },
      });
    },
  });
  return [...names].sort();
}
