import { getIntrospectionQuery, Kind } from 'graphql';
import { expect } from 'vitest';
import { paymentsTypeDefs } from '../../src/graphql/schema.ts';
import type { CreateOptions } from './builders.ts';
import { createInput } from './builders.ts';
import type { TestStack } from './test-stack.ts';

// GraphQL operations shared by the end-to-end tests, written as a frontend would, with the
// payload types they read and the small helpers that run them on a test stack.

export const PAYMENT_INTENT_FIELDS = /* GraphQL */ `
  fragment PaymentIntentFields on PaymentIntent {
    id
    provider
    providerId
    status
    providerStatus
    amount {
      amount
      currency
    }
    checkoutUrl
    createdAt
    externalRef
    details {
      __typename
      ... on ZopayPaymentIntentDetails {
        amount
        currencies
        externalRef
        description
        metadata
        refCode
        expiresAt
      }
      ... on ZiinaPaymentIntentDetails {
        amountMinor
        tipAmountMinor
        feeAmountMinor
        currencyCode
        message
        redirectUrl
        successUrl
        cancelUrl
        failureUrl
        allowTips
        operationId
        latestError {
          message
          code
        }
      }
    }
  }
`;

export const CREATE_PAYMENT_INTENT = /* GraphQL */ `
  mutation Create($input: CreatePaymentIntentInput!) {
    createPaymentIntent(input: $input) {
      clientMutationId
      replayed
      paymentIntent {
        ...PaymentIntentFields
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

export const GET_PAYMENT_INTENT = /* GraphQL */ `
  query Get($id: ID!) {
    paymentIntent(id: $id) {
      ...PaymentIntentFields
    }
  }
  ${PAYMENT_INTENT_FIELDS}
`;

/** An `_entities` request as a router sends it to this subgraph for PaymentIntent references. */
export const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on PaymentIntent {
        id
        status
        providerStatus
      }
    }
  }
`;

/** What ENTITIES selects of each intent. */
export interface Entity {
  id: string;
  status: string;
  providerStatus: string | null;
}

export interface UserError {
  code: string;
  message: string;
  field: string[] | null;
  provider: string | null;
  providerStatus: number | null;
  providerCode: string | null;
  retryable: boolean;
}

/** The values of the contract's PaymentIntentErrorCode enum, read from the SDL: what a userError's code may be. */
export const USER_ERROR_CODES: ReadonlySet<string> = new Set(
  paymentsTypeDefs.definitions.flatMap((definition) =>
    definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'PaymentIntentErrorCode'
      ? (definition.values ?? []).map((value) => value.name.value)
      : [],
  ),
);

/** The answer to a create whose clientMutationId was first used with another input: our own refusal. */
export function idempotencyConflictAt(provider: string): unknown[] {
  return [
    expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT', field: ['clientMutationId'], provider, retryable: false }),
  ];
}

/** The largest introspection query an IDE sends (GraphiQL and Apollo Sandbox with every option on). */
export const IDE_INTROSPECTION_QUERY = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

export interface CreatePayload {
  clientMutationId: string;
  replayed: boolean;
  paymentIntent: Record<string, any> | null;
  userErrors: UserError[];
}

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

/** createPaymentIntent through GraphQL; fails the test on an HTTP or GraphQL error. */
export async function createThroughGraphQL(stack: TestStack, input: object): Promise<CreatePayload> {
  const answer = await stack.graphql<{ createPaymentIntent: CreatePayload }>(CREATE_PAYMENT_INTENT, { input });
  expect(answer.status, answer.text).toBe(200);
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
