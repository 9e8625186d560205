import { randomUUID } from 'node:crypto';
import {
  CONFLICTING_CREATE_AT_ZOPAY,
  CREATE_AT_ZIINA,
  CREATE_AT_ZOPAY,
  PAYMENT_INTENT_BY_ID,
  PAYMENT_INTENTS_BY_EXTERNAL_REF,
  RETRY_CREATE_AT_ZOPAY,
  WATCH_PAYMENT_INTENT,
} from './playground-operations.ts';

/** A tab as GraphiQL opens it (an entry of its `defaultTabs`): the document and its variables as JSON text. */
export interface PlaygroundTab {
  readonly query: string;
  readonly variables: string;
}

/** A provider this server reaches through its built-in emulator, whose admin route can pay an intent. */
export interface PayableEmulator {
  readonly displayName: string;
  /** Where its admin routes are, e.g. http://127.0.0.1:4010 */
  readonly origin: string;
  /** Its raw status that means paid (COMPLETED), as its admin route takes it. */
  readonly paidStatus: string;
}

/** What the tabs of one page load share. */
export interface PageContext {
  /** The Zopay create's clientMutationId: the retry and the conflict tabs send it again. */
  readonly zopayKey: string;
  readonly ziinaKey: string;
  /** Both creates carry it, so the listing tab finds them. */
  readonly externalRef: string;
  readonly emulators: readonly PayableEmulator[];
}

/** Fresh keys for each page load, so a first run of a create tab creates rather than replays. */
export function newPageContext(emulators: readonly PayableEmulator[]): PageContext {
  return {
    zopayKey: randomUUID(),
    ziinaKey: randomUUID(),
    externalRef: `playground-${randomUUID().slice(0, 8)}`,
    emulators,
  };
}

interface TabTemplate {
  readonly document: string;
  /** Shown as comment lines above the operation: what running it teaches. */
  readonly notes: (page: PageContext) => readonly string[];
  readonly variables: (page: PageContext) => Record<string, unknown>;
}

const zopayCreateInput = (page: PageContext, amount: string) => ({
  clientMutationId: page.zopayKey,
  provider: {
    zopay: {
      amount,
      currencies: ['USDT', 'USDC'],
      externalRef: page.externalRef,
      description: 'Playground order',
      metadata: { source: 'playground' },
    },
  },
});

const ziinaCreateInput = (page: PageContext) => ({
  clientMutationId: page.ziinaKey,
  provider: {
    ziina: {
      amountMinor: 1050,
      currencyCode: 'AED',
      externalRef: page.externalRef,
      message: 'Playground order',
      successUrl: 'https://shop.example/paid',
      cancelUrl: 'https://shop.example/cancelled',
    },
  },
});

const zopayCreate: TabTemplate = {
  document: CREATE_AT_ZOPAY,
  notes: () => [
    'A payment intent at Zopay (crypto). The amount is an exact',
    'decimal: send it as a string. clientMutationId is the',
    'idempotency key; this page makes a fresh one on each load.',
  ],
  variables: (page) => ({ input: zopayCreateInput(page, '10.50') }),
};

const ziinaCreate: TabTemplate = {
  document: CREATE_AT_ZIINA,
  notes: () => ['A payment intent at Ziina (fiat). The amount is in minor', 'units: 1050 is 10.50 AED.'],
  variables: (page) => ({ input: ziinaCreateInput(page) }),
};

const readById: TabTemplate = {
  document: PAYMENT_INTENT_BY_ID,
  notes: (page) => [
    'One intent by the id a create returned (an unknown id answers',
    'null). A stored intent that is not final yet is asked again of',
    'its provider once older than INTENT_FRESHNESS_MS.',
    ...payAtEmulatorNotes(page.emulators),
  ],
  variables: () => ({ id: 'zopay:PASTE-AN-ID-A-CREATE-RETURNED' }),
};

const listByExternalRef: TabTemplate = {
  document: PAYMENT_INTENTS_BY_EXTERNAL_REF,
  notes: () => [
    'The intents created with this externalRef, newest first:',
    'both creates of this page carry it. For the next page, pass',
    'pageInfo.endCursor as "after".',
  ],
  variables: (page) => ({ externalRef: page.externalRef }),
};

const retryZopayCreate: TabTemplate = {
  document: RETRY_CREATE_AT_ZOPAY,
  notes: () => [
    'CreateAtZopay sent again: same clientMutationId, same input.',
    'After CreateAtZopay, it answers "replayed": true and the same',
    'intent; no second intent is created.',
  ],
  variables: zopayCreate.variables,
};

const conflictingZopayCreate: TabTemplate = {
  document: CONFLICTING_CREATE_AT_ZOPAY,
  notes: () => [
    "CreateAtZopay's clientMutationId with another amount. After",
    'CreateAtZopay, it answers the user error IDEMPOTENCY_CONFLICT',
    'and creates nothing.',
  ],
  variables: (page) => ({ input: zopayCreateInput(page, '12.00') }),
};

const watchPaymentIntent: TabTemplate = {
  document: WATCH_PAYMENT_INTENT,
  notes: (page) => [
    'A subscription (GraphQL over WebSocket on this same path): the',
    'intent as it is now, then again at each change, until a final',
    'status. Paste an id a create returned and run it; it waits.',
    ...payAtEmulatorNotes(page.emulators),
  ],
  variables: readById.variables,
};

/** The tabs, in the order they open: a tab is a template above and one line here. */
const TABS: readonly TabTemplate[] = [
  zopayCreate,
  ziinaCreate,
  readById,
  listByExternalRef,
  retryZopayCreate,
  conflictingZopayCreate,
  watchPaymentIntent,
];

/** How to pay an intent at each built-in emulator this server uses, with the command for its origin. */
function payAtEmulatorNotes(emulators: readonly PayableEmulator[]): string[] {
  if (emulators.length === 0) return [];
  return [
    '',
    'Pay it as the payer would, at the built-in emulator (PROVIDER_ID:',
    'the providerId of the intent): it becomes COMPLETED.',
    ...emulators.map(
      ({ displayName, origin, paidStatus }) =>
        `${displayName}: curl -s -X POST ${origin}/__emulator/payment-intents/PROVIDER_ID/status ` +
        `-H 'content-type: application/json' -d '{"status":"${paidStatus}"}'`,
    ),
  ];
}

/** The tabs GraphiQL opens with for one page load. */
export function playgroundTabs(page: PageContext): PlaygroundTab[] {
  return TABS.map(({ document, notes, variables }) => ({
    query: [...notes(page).map((line) => (line === '' ? '#' : `# ${line}`)), document].join('\n'),
    variables: JSON.stringify(variables(page), null, 2),
  }));
}
