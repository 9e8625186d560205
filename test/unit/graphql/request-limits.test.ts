import { parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { requestLimitRules, type RequestLimits } from '../../../src/graphql/request-limits.ts';
import { buildPaymentsSchema } from '../../../src/graphql/schema.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';
import { CREATE_PAYMENT_INTENT, GET_PAYMENT_INTENT, IDE_INTROSPECTION_QUERY } from '../../support/operations.ts';

const schema: GraphQLSchema = buildPaymentsSchema(registeredProviders);
const LIMITS: RequestLimits = { maxDepth: 15, maxAliases: 15, maxDirectives: 10, maxTokens: 2_000, maxCost: 5_000 };

function refusals(document: string, limits: RequestLimits = LIMITS): string[] {
  return validate(schema, parse(document), requestLimitRules(limits)).map((error) => error.message);
}

const aliases = (count: number, field: string) =>
  Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');

describe('requestLimitRules', () => {
  it('admits the introspection query of GraphiQL and Apollo Sandbox, with every option', () => {
    expect(refusals(IDE_INTROSPECTION_QUERY)).toEqual([]);
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
