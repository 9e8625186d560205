-- Idempotency records of creates, one per (provider, clientMutationId): docs/decisions/idempotency.md.
create table idempotency_records (
  provider           text        not null,
  client_mutation_id text        not null,
  -- SHA-256 of the validated request: the same key with another fingerprint is a conflict.
  fingerprint        text        not null,
  state              text        not null check (state in ('in_flight', 'completed')),
  -- Identifies the current holder of an in-flight claim; a holder whose lease ran out and was
  -- taken over can no longer complete or release the record.
  claim_token        uuid,
  lease_expires_at   timestamptz,
  -- True once the create may have reached the provider: a takeover must not blindly resend it
  -- to a provider that does not deduplicate creates.
  request_sent       boolean     not null default false,
  outcome            jsonb,
  claimed_at         timestamptz not null default now(),
  completed_at       timestamptz,
  primary key (provider, client_mutation_id)
);
create index idempotency_records_claimed_at on idempotency_records (claimed_at);

-- Intents as last seen: stored on create, refreshed on read, updated by webhooks.
create table payment_intents (
  -- '<provider>:<provider id>', the GraphQL id.
  id                 text        primary key,
  -- Insertion order: newest first in listings, and the stable cursor of the connection.
  seq                bigint      generated always as identity,
  provider           text        not null,
  status             text        not null,
  -- A terminal status never changes again: an older delivery cannot overwrite it.
  terminal           boolean     not null,
  external_ref       text,
  -- Set when the intent was created through this service.
  client_mutation_id text,
  -- What the provider echoes of the create that made the intent (e.g. an operation id we sent):
  -- how a create whose answer was lost is recognised once a webhook or a read brings it.
  creation_marker    text,
  -- The domain PaymentIntent as JSON (exact decimals are strings).
  intent             jsonb       not null,
  refreshed_at       timestamptz not null default now()
);
create unique index payment_intents_seq on payment_intents (seq);
create index payment_intents_external_ref on payment_intents (external_ref, seq) where external_ref is not null;
create index payment_intents_provider on payment_intents (provider, seq);
create index payment_intents_status on payment_intents (status, seq);
create index payment_intents_creation_marker on payment_intents (provider, creation_marker) where creation_marker is not null;
