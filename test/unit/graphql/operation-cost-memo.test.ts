import { parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costOfOperation } from '../../../src/graphql/operation-cost.ts';
import { OperationCostMemo } from '../../../src/graphql/operation-cost-memo.ts';
import { buildPaymentsSchema } from '../../../src/graphql/schema.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';
import { PAYMENT_INTENT_FIELDS } from '../../support/operations.ts';

const schema: GraphQLSchema = buildPaymentsSchema(registeredProviders);

const LISTING = parse(`query Listing($first: Int, $ref: String, $withAmount: Boolean!) {
  paymentIntents(first: $first, externalRef: $ref) {
    edges { node { id amount @include(if: $withAmount) { amount currency } } }
  }
}`);
const ENTITIES = parse(
  `query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on PaymentIntent { ...PaymentIntentFields } } } ${PAYMENT_INTENT_FIELDS}`,
);
const representations = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ __typename: 'PaymentIntent', id: `zopay:pi_${index}` }));

describe('OperationCostMemo', () => {
  it('answers what costOfOperation answers, whatever was asked before with the same document', () => {
    const memo = new OperationCostMemo();
    const cases: [typeof LISTING, Record<string, unknown>][] = [
      [LISTING, { first: 10, ref: 'order-1', withAmount: true }],
      [LISTING, { first: 10, ref: 'order-2', withAmount: true }],
      [LISTING, { first: 100, ref: 'order-1', withAmount: true }],
      [LISTING, { first: 100, ref: 'order-1', withAmount: false }],
      [LISTING, { ref: 'order-1', withAmount: true }],
      [ENTITIES, { r: representations(1) }],
      [ENTITIES, { r: representations(100) }],
      [ENTITIES, { r: representations(30) }],
      [ENTITIES, { r: representations(1) }],
    ];
    for (const pass of [1, 2]) {
      for (const [document, variables] of cases) {
        expect(memo.costOf(schema, document, variables, undefined), `pass ${pass}: ${JSON.stringify(variables)}`).toBe(
          costOfOperation(schema, document, variables, undefined),
        );
      }
    }
  });

  it('does not remember an unknown cost: variables that did not fit say nothing of the next ones', () => {
    const memo = new OperationCostMemo();
    expect(memo.costOf(schema, LISTING, { first: 'many', withAmount: true }, undefined)).toBeNull();
    expect(memo.costOf(schema, LISTING, { first: 'many', withAmount: true }, undefined)).toBeNull();
    expect(memo.costOf(schema, LISTING, { first: 100, withAmount: true }, undefined)).toBe(
      costOfOperation(schema, LISTING, { first: 100, withAmount: true }, undefined),
    );
  });

  it('keys a cost by the operation too', () => {
    const memo = new OperationCostMemo();
    const twoOperations = parse(`query One { paymentIntents(first: 1) { edges { node { id } } } }
      query Hundred { paymentIntents(first: 100) { edges { node { id } } } }`);
    expect(memo.costOf(schema, twoOperations, {}, 'One')).toBeLessThan(
      memo.costOf(schema, twoOperations, {}, 'Hundred')!,
    );
  });
});
