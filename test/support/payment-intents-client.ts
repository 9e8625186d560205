import { expect } from 'vitest';
import { PAYMENT_INTENT_FIELDS, type CreatePayload } from './operations.ts';
import type { TestStack } from './test-stack.ts';

// GraphQL operations of the stored intents (externalRef, listing), written as a frontend would.

export const CREATE_WITH_EXTERNAL_REF = /* GraphQL */ `
  mutation CreateWithRef($input: CreatePaymentIntentInput!) {
    createPaymentIntent(input: $input) {
      clientMutationId
      replayed
      paymentIntent {
        ...PaymentIntentFields
        externalRef
      }
      userErrors {
        code
        message
        field
        provider
        providerStatus
        providerCode
        retryable
      }
    }
  }
  ${PAYMENT_INTENT_FIELDS}
`;

export const LIST_PAYMENT_INTENTS = /* GraphQL */ `
  query List($filter: PaymentIntentFilter, $first: Int, $after: String) {
    paymentIntents(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          provider
          status
          providerStatus
          externalRef
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

export const READ_STATUS = /* GraphQL */ `
  query ReadStatus($id: ID!) {
    paymentIntent(id: $id) {
      id
      status
      providerStatus
      externalRef
    }
  }
`;

export interface ListedNode {
  id: string;
  provider: 'ZOPAY' | 'ZIINA';
  status: string;
  providerStatus: string | null;
  externalRef: string | null;
}

export interface ListingPage {
  edges: { cursor: string; node: ListedNode }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export interface CreateOptions {
  readonly provider: 'ZOPAY' | 'ZIINA';
  readonly clientMutationId: string;
  readonly externalRef?: string;
  /** Extra fields of the provider branch. */
  readonly fields?: Record<string, unknown>;
}

export function createInput({ provider, clientMutationId, externalRef, fields = {} }: CreateOptions) {
  const branch =
    provider === 'ZOPAY'
      ? {
          zopay: {
            amount: '12.30',
            currencies: ['USDT'],
            ...(externalRef !== undefined && { externalRef }),
            ...fields,
          },
        }
      : {
          ziina: {
            amountMinor: 1230,
            currencyCode: 'AED',
            ...(externalRef !== undefined && { externalRef }),
            ...fields,
          },
        };
  return { clientMutationId, provider: branch };
}

/** createPaymentIntent through GraphQL; fails the test on a GraphQL error. */
export async function createThroughGraphQL(stack: TestStack, input: Record<string, unknown>): Promise<CreatePayload> {
  const answer = await stack.graphql<{ createPaymentIntent: CreatePayload }>(CREATE_WITH_EXTERNAL_REF, { input });
  expect(answer.errors, answer.text).toBeUndefined();
  return answer.data!.createPaymentIntent;
}

/** Creates an intent and gives its id; fails the test when the create was refused. */
export async function createdId(stack: TestStack, options: CreateOptions): Promise<string> {
  const payload = await createThroughGraphQL(stack, createInput(options));
  expect(payload.userErrors, JSON.stringify(payload.userErrors)).toEqual([]);
  return payload.paymentIntent!.id as string;
}

export async function listPage(
  stack: TestStack,
  variables: { filter?: Record<string, unknown>; first?: number; after?: string },
): Promise<ListingPage> {
  const answer = await stack.graphql<{ paymentIntents: ListingPage }>(LIST_PAYMENT_INTENTS, variables);
  expect(answer.errors, answer.text).toBeUndefined();
  return answer.data!.paymentIntents;
}

/** Every page of a listing, following endCursor until hasNextPage is false. */
export async function walkListing(
  stack: TestStack,
  filter: Record<string, unknown>,
  first: number,
): Promise<{ pages: ListingPage[]; ids: string[] }> {
  const pages: ListingPage[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listPage(stack, { filter, first, ...(after !== undefined && { after }) });
    pages.push(page);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor!;
    if (pages.length > 1_000) throw new Error('the listing never ends');
  }
  return { pages, ids: pages.flatMap((page) => page.edges.map((edge) => edge.node.id)) };
}

export async function readStatus(stack: TestStack, id: string): Promise<ListedNode | null> {
  const answer = await stack.graphql<{ paymentIntent: ListedNode | null }>(READ_STATUS, { id });
  expect(answer.errors, answer.text).toBeUndefined();
  return answer.data!.paymentIntent;
}

/** An intent as the emulator holds it, in the provider's wire shape (its admin route: not a provider read). */
export async function emulatorWireIntent(
  emulatorBaseUrl: string,
  providerId: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${new URL(emulatorBaseUrl).origin}/__emulator/payment-intents`);
  const intents = (await response.json()) as Record<string, unknown>[];
  const intent = intents.find((candidate) => candidate.id === providerId);
  if (intent === undefined) throw new Error(`the emulator has no intent ${providerId}`);
  return intent;
}

export function providerIdOf(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}
