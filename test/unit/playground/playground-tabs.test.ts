import {
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/environment.ts';
import { costOfOperation } from '../../../src/graphql/operation-cost.ts';
import { requestLimitRules } from '../../../src/graphql/request-limits.ts';
import { buildPaymentsSchema } from '../../../src/graphql/schema.ts';
import {
  newPageContext,
  playgroundTabs,
  type PageContext,
  type PlaygroundTab,
} from '../../../src/playground/playground-tabs.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';

const defaults = loadConfig({}, registeredProviders);
if (!defaults.ok) throw new Error(defaults.problems.join(', '));
const limits = defaults.config.requestLimits;
const schema = buildPaymentsSchema(registeredProviders);

const PAGE: PageContext = { zopayKey: 'zopay-key', ziinaKey: 'ziina-key', externalRef: 'ref-1', emulators: [] };

function operationOf(tab: PlaygroundTab): OperationDefinitionNode {
  const operation = getOperationAST(parse(tab.query));
  if (operation == null) throw new Error(`not one operation in ${tab.query}`);
  return operation;
}

const byOperationName = (tabs: readonly PlaygroundTab[]) =>
  Object.fromEntries(tabs.map((tab) => [operationOf(tab).name?.value, JSON.parse(tab.variables)]));

describe('the playground tabs', () => {
  it('open in this order, titled by their operations', () => {
    expect(playgroundTabs(PAGE).map((tab) => operationOf(tab).name?.value)).toEqual([
      'CreateAtZopay',
      'CreateAtZiina',
      'PaymentIntentById',
      'PaymentIntentsByExternalRef',
      'RetryCreateAtZopay',
      'ConflictingCreateAtZopay',
      'WatchPaymentIntent',
    ]);
  });

  // As a page with a built-in emulator has them: the read tab's notes are part of its document.
  const tabs = playgroundTabs({
    ...PAGE,
    emulators: [{ displayName: 'Zopay', origin: 'http://127.0.0.1:4010', paidStatus: 'completed' }],
  });
  it.each(tabs.map((tab) => [operationOf(tab).name?.value, tab] as const))(
    '%s passes every request limit with its variables, as any client must',
    (_name, tab) => {
      const document = parse(tab.query, { maxLexicalTokens: limits.maxTokens });
      expect(validate(schema, document, [...specifiedRules, ...requestLimitRules(limits)])).toEqual([]);
      const variables = JSON.parse(tab.variables) as Record<string, unknown>;
      expect(getVariableValues(schema, operationOf(tab).variableDefinitions ?? [], variables).errors).toBeUndefined();
      expect(costOfOperation(schema, document, variables, undefined)).toBeLessThanOrEqual(limits.maxCost);
    },
  );

  it('retry with the Zopay create exactly, and conflict with its key and another amount', () => {
    const tabs = byOperationName(playgroundTabs(PAGE));
    expect(tabs.CreateAtZopay.input.clientMutationId).toBe('zopay-key');
    expect(tabs.RetryCreateAtZopay).toEqual(tabs.CreateAtZopay);
    expect(tabs.ConflictingCreateAtZopay.input.clientMutationId).toBe('zopay-key');
    expect(tabs.ConflictingCreateAtZopay.input.provider.zopay.amount).not.toBe(
      tabs.CreateAtZopay.input.provider.zopay.amount,
    );
  });

  it('list what both creates of the page carry', () => {
    const tabs = byOperationName(playgroundTabs(PAGE));
    expect(tabs.CreateAtZopay.input.provider.zopay.externalRef).toBe('ref-1');
    expect(tabs.CreateAtZiina.input.provider.ziina.externalRef).toBe('ref-1');
    expect(tabs.PaymentIntentsByExternalRef).toEqual({ externalRef: 'ref-1' });
  });

  it("show in the read tab how to pay at each built-in emulator, at the emulator's own origin", () => {
    const emulators = [
      { displayName: 'Zopay', origin: 'http://127.0.0.1:4010', paidStatus: 'completed' },
      { displayName: 'Ziina', origin: 'http://127.0.0.1:40123', paidStatus: 'completed' },
    ];
    const read = playgroundTabs({ ...PAGE, emulators })[2]!;
    expect(read.query.split('\n')).toEqual(
      expect.arrayContaining([
        `# Zopay: curl -s -X POST http://127.0.0.1:4010/__emulator/payment-intents/PROVIDER_ID/status -H 'content-type: application/json' -d '{"status":"completed"}'`,
        `# Ziina: curl -s -X POST http://127.0.0.1:40123/__emulator/payment-intents/PROVIDER_ID/status -H 'content-type: application/json' -d '{"status":"completed"}'`,
      ]),
    );
    expect(playgroundTabs(PAGE)[2]!.query).not.toContain('curl');
  });

  it('get fresh keys and a fresh externalRef on each page load', () => {
    const [first, second] = [newPageContext([]), newPageContext([])];
    expect(first.zopayKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set([first.zopayKey, first.ziinaKey, second.zopayKey, second.ziinaKey]).size).toBe(4);
    expect(first.externalRef).not.toBe(second.externalRef);
  });
});
