import { getIntrospectionQuery, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costOfOperation, requestLimitRules, type RequestLimits } from '../../../src/graphql/request-limits.ts';
import { buildPaymentsSchema } from '../../../src/graphql/schema.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';
import { CREATE_PAYMENT_INTENT, GET_PAYMENT_INTENT, PAYMENT_INTENT_FIELDS } from '../../support/operations.ts';

const schema: GraphQLSchema = buildPaymentsSchema(registeredProviders);
const LIMITS: RequestLimits = { maxDepth: 15, maxAliases: 15, maxDirectives: 10, maxTokens: 2_000, maxCost: 5_000 };

function refusals(document: string, limits: RequestLimits = LIMITS): string[] {
  return validate(schema, parse(document), requestLimitRules(limits)).map((error) => error.message);
}

const aliases = (count: number, field: string) =>
  Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');

describe('requestLimitRules', () => {
  it('admits the introspection query of GraphiQL and Apollo Sandbox, with every option', () => {
    const introspection = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    expect(refusals(introspection)).toEqual([]);
  });

  it('counts introspection fields as levels, and fragment spreads as none', () => {
    const ofTypes = (depth: number): string => (depth === 0 ? 'name' : `ofType { ${ofTypes(depth - 1)} }`);
    expect(refusals(`{ __schema { types { fields { type { ${ofTypes(10)} } } } } }`)).toEqual([]);
    expect(refusals(`{ __schema { types { fields { type { ${ofTypes(11)} } } } } }`)).toEqual([
      'Query depth limit of 15 exceeded, found 16.',
    ]);
    // The full-field fragment behind a spread is as deep as written inline.
    expect(refusals(GET_PAYMENT_INTENT, { ...LIMITS, maxDepth: 4 })).toEqual([]);
    expect(refusals(GET_PAYMENT_INTENT, { ...LIMITS, maxDepth: 3 })).toHaveLength(1);
  });

  it('refuses more aliases than configured, counting those inside fragments', () => {
    const read = 'paymentIntent(id: "zopay:pi_1") { id }';
    expect(refusals(`{ ${aliases(15, read)} }`)).toEqual([]);
    expect(refusals(`{ ${aliases(16, read)} }`)).toEqual(['Aliases limit of 15 exceeded, found 16.']);
    const inFragment = `query { ...Many } fragment Many on Query { ${aliases(16, read)} }`;
    expect(refusals(inFragment)).toHaveLength(1);
    expect(refusals(`{ ${aliases(40, read)} }`, { ...LIMITS, maxAliases: 40 })).toEqual([]);
  });

  it('refuses more directives than configured', () => {
    const directives = (count: number) => `{ __typename ${'@skip(if: false) '.repeat(count)}}`;
    expect(refusals(directives(10))).toEqual([]);
    expect(refusals(directives(11))).toEqual(['Directives limit of 10 exceeded, found 11.']);
  });

  it('admits the operations frontends send', () => {
    for (const document of [CREATE_PAYMENT_INTENT, GET_PAYMENT_INTENT]) expect(refusals(document)).toEqual([]);
  });
});

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
    expect(page100).toBeLessThanOrEqual(LIMITS.maxCost);
  });

  it('counts a page size beyond the largest one as the largest: the field itself refuses it, with a clearer message', () => {
    expect(cost(listing('1000000'))).toBe(cost(listing('100')));
  });

  it('multiplies _entities by its representations', () => {
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on PaymentIntent { ...PaymentIntentFields } } } ${PAYMENT_INTENT_FIELDS}`;
    const representations = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ __typename: 'PaymentIntent', id: `zopay:pi_${index}` }));
    expect(cost(entities, { r: representations(100) })).toBe(100 * cost(entities, { r: representations(1) }) - 99);
    expect(cost(entities, { r: representations(100) })).toBeLessThanOrEqual(LIMITS.maxCost);
  });

  it('makes the multiplying document (40 aliases of a 100-item page, 40 × 40 below) cost millions', () => {
    const multiplying = `{ ${aliases(40, 'paymentIntents(first: 100) { ...Edges }')} }
      fragment Edges on PaymentIntentConnection { ${aliases(40, 'edges { ...Node }')} }
      fragment Node on PaymentIntentEdge { ${aliases(40, 'node { id amount { amount } }')} }`;
    expect(cost(multiplying)).toBeGreaterThan(LIMITS.maxCost * 100);
  });

  it('is null when the variables do not fit: execution refuses them next, with its own message', () => {
    expect(costOrNull(listing('$first'), { first: 'many' })).toBeNull();
  });
});
