// GraphQL operations shared by the integration tests, written as a frontend would.

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

export interface UserError {
  code: string;
  message: string;
  field: string[] | null;
  provider: string | null;
  providerStatus: number | null;
  providerCode: string | null;
  retryable: boolean;
}

export interface CreatePayload {
  clientMutationId: string;
  replayed: boolean;
  paymentIntent: Record<string, any> | null;
  userErrors: UserError[];
}
