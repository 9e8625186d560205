import { parse, print } from 'graphql';

// The GraphQL documents the playground opens with, one per tab (playground-tabs.ts gives them their
// notes and variables). Each operation is named: GraphiQL titles a tab with its operation's name.
// They are held to the same request limits as any client's (test/unit/playground/playground-tabs.test.ts).

/** As GraphiQL shows it: graphql-js's own layout, whatever the indentation in this file. */
const graphqlDocument = (source: string) => print(parse(source));

/** What the tabs show of an intent, whichever provider holds it. */
const PAYMENT_INTENT_FIELDS = /* GraphQL */ `
  fragment PaymentIntentFields on PaymentIntent {
    id
    status
    providerStatus
    amount {
      amount
      currency
    }
    checkoutUrl
    externalRef
  }
`;

/** What a create answers, shared by every create tab so that they read the same. */
const CREATE_PAYLOAD_FIELDS = /* GraphQL */ `
  fragment CreatePayloadFields on CreatePaymentIntentPayload {
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
`;

/** A create mutation under its own name (the tab's title), answering CreatePayloadFields. */
function createMutation(operationName: string): string {
  return graphqlDocument(/* GraphQL */ `
    mutation ${operationName}($input: CreatePaymentIntentInput!) {
      createPaymentIntent(input: $input) {
        ...CreatePayloadFields
      }
    }
    ${CREATE_PAYLOAD_FIELDS}
    ${PAYMENT_INTENT_FIELDS}
  `);
}

export const CREATE_AT_ZOPAY = createMutation('CreateAtZopay');

export const CREATE_AT_ZIINA = createMutation('CreateAtZiina');

/** The Zopay create sent again: same key, same input. */
export const RETRY_CREATE_AT_ZOPAY = createMutation('RetryCreateAtZopay');

/** The Zopay create's key with another input. */
export const CONFLICTING_CREATE_AT_ZOPAY = createMutation('ConflictingCreateAtZopay');

export const PAYMENT_INTENT_BY_ID = graphqlDocument(/* GraphQL */ `
  query PaymentIntentById($id: ID!) {
    paymentIntent(id: $id) {
      ...PaymentIntentFields
      provider
      providerId
      createdAt
      details {
        __typename
        ... on ZopayPaymentIntentDetails {
          currencies
          refCode
          expiresAt
        }
        ... on ZiinaPaymentIntentDetails {
          amountMinor
          currencyCode
          operationId
        }
      }
    }
  }
  ${PAYMENT_INTENT_FIELDS}
`);

/** Over WebSocket (graphql-ws): the intent now, then each change, until a terminal status. */
export const WATCH_PAYMENT_INTENT = graphqlDocument(/* GraphQL */ `
  subscription WatchPaymentIntent($id: ID!) {
    paymentIntentUpdated(id: $id) {
      ...PaymentIntentFields
    }
  }
  ${PAYMENT_INTENT_FIELDS}
`);

export const PAYMENT_INTENTS_BY_EXTERNAL_REF = graphqlDocument(/* GraphQL */ `
  query PaymentIntentsByExternalRef($externalRef: String!, $after: String) {
    paymentIntents(filter: { externalRef: $externalRef }, first: 10, after: $after) {
      edges {
        cursor
        node {
          id
          provider
          status
          amount {
            amount
            currency
          }
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
