import { parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costOfOperation } from '../../../src/graphql/operation-cost.ts';
import { buildPaymentsSchema } from '../../../src/graphql/schema.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';
import { PAYMENT_INTENT_FIELDS } from '../../support/operations.ts';

const schema: GraphQLSchema = buildPaymentsSchema(registeredProviders);
/** The default GRAPHQL_MAX_COST. */
const MAX_COST = 5_000;

const aliases = (count: number, field: string) =>
  Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');

describe('costOfOperation', () => {
  const cost = (document: string, variables: Record<string, unknown> = {}): number =>
    costOfOperation(schema, parse(document), variables, undefined) ?? Number.NaN;
  const costOrNull = (document: string, variables: Record<string, unknown> = {}) =>
    costOfOperation(schema, parse(document), variables, undefined);
  const listing = (first: string) =>
    `query($first: Int) { paymentIntents(first: ${first}) { edges { node { ...PaymentIntentFields } } } } ${PAYMENT_INTENT_FIELDS}`;

  it('multiplies a listing by its page size, from a literal or a variable', () => {
    const page100 = cost(listing('100'));
    expect(page100).toBe(cost(listing('$first'), { first: 100 }));
    expect(page100).toBeGreaterThan(50 * cost(listing('1')));
    // A full-field listing at the largest page size is within the default limit.
    expect(page100).toBeLessThanOrEqual(MAX_COST);
  });

  it('counts a page size beyond the largest one as the largest: the field itself refuses it, with a clearer message', () => {
    expect(cost(listing('1000000'))).toBe(cost(listing('100')));
  });

  it('multiplies _entities by its representations', () => {
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on PaymentIntent { ...PaymentIntentFields } } } ${PAYMENT_INTENT_FIELDS}`;
    const representations = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ __typename: 'PaymentIntent', id: `zopay:pi_${index}` }));
    expect(cost(entities, { r: representations(100) })).toBe(100 * cost(entities, { r: representations(1) }) - 99);
    expect(cost(entities, { r: representations(100) })).toBeLessThanOrEqual(MAX_COST);
  });

  it('makes the multiplying document (40 aliases of a 100-item page, 40 × 40 below) cost millions', () => {
    const multiplying = `{ ${aliases(40, 'paymentIntents(first: 100) { ...Edges }')} }
      fragment Edges on PaymentIntentConnection { ${aliases(40, 'edges { ...Node }')} }
      fragment Node on PaymentIntentEdge { ${aliases(40, 'node { id amount { amount } }')} }`;
    expect(cost(multiplying)).toBeGreaterThan(MAX_COST * 100);
  });

  it('is null when the variables do not fit: execution refuses them next, with its own message', () => {
    expect(costOrNull(listing('$first'), { first: 'many' })).toBeNull();
  });

  it('is null, not beyond counting, when a variable sent as null empties a non-null argument', () => {
    expect(costOrNull('query($id: ID = "zopay:pi_1") { paymentIntent(id: $id) { id } }', { id: null })).toBeNull();
    expect(costOrNull('query($shown: Boolean = true) { __typename @include(if: $shown) }', { shown: null })).toBeNull();
  });
});
