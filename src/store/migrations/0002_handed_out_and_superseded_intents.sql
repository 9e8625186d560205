-- The one intent handed out for an idempotency key, and the others that surfaced for the same key
-- after their create's answer was lost: docs/decisions/lost-create-outcome.md.
alter table payment_intents
  -- Set once this intent is the stored outcome of its create's idempotency record.
  add column handed_out    boolean not null default false,
  -- The id of the intent handed out for the same key instead: this one was never given to anyone,
  -- cannot be paid, and is left out of listings and of the lookup by creation marker.
  add column superseded_by text;
