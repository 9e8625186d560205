import type { DocumentNode, GraphQLSchema } from 'graphql';
import { OperationCostMemo } from './operation-cost-memo.ts';
import { PublicGraphQLError } from './public-error.ts';

/** The operation whose cost is weighed: its variables decide list sizes (`first: $first`). */
export interface CostedOperation {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly variables: Record<string, unknown>;
  readonly operationName: string | undefined;
}

/**
 * GRAPHQL_MAX_COST (docs/decisions/request-limits.md), the same for every transport that executes
 * a document: Apollo Server over HTTP and graphql-ws over WebSocket. Weighed once the operation and
 * its variables are known, before any resolver runs, from a memo of the costs already computed.
 */
export class OperationCostLimit {
  readonly #maxCost: number;
  readonly #memo = new OperationCostMemo();

  constructor(maxCost: number) {
    this.#maxCost = maxCost;
  }

  /**
   * The error refusing an operation that would cost more than the limit, or null. `extensions` are
   * the transport's own (Apollo reads the HTTP status of an error from `http`).
   */
  refusal(operation: CostedOperation, extensions: Record<string, unknown> = {}): PublicGraphQLError | null {
    const { schema, document, variables, operationName } = operation;
    const cost = this.#memo.costOf(schema, document, variables, operationName);
    if (cost === null || cost <= this.#maxCost) return null;
    const counted = Number.isFinite(cost) ? String(cost) : 'more than can be counted';
    return new PublicGraphQLError(
      `This operation would cost ${counted}, more than the limit of ${this.#maxCost}: ask for fewer items (first) or fewer fields in one request`,
      'OPERATION_COST_EXCEEDED',
      { ...(Number.isFinite(cost) && { cost }), maxCost: this.#maxCost, ...extensions },
    );
  }
}
