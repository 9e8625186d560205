-- Intents of a provider whose changes no webhook brings are refreshed from the provider while
-- someone subscribes to them (src/subscriptions/provider-refresh-poller.ts). Every replica with
-- subscribers tries to claim the intent's lease; the one that gets it refreshes, the others only
-- hear the change through the store's announcements. A lease is claimed for one freshness window
-- and only once it has expired, so the provider sees at most one refresh per intent per window,
-- however many replicas and subscribers there are (docs/decisions/subscriptions.md).
create table payment_intent_refresh_leases (
  intent_id text primary key,
  -- The process that holds it, for an operator reading the table.
  holder text not null,
  expires_at timestamptz not null
);
