-- Every write that changes a stored intent is announced on the store's own notification channel,
-- "<schema>.payment_intents", whoever wrote it (a create, a provider read, a webhook, on any
-- replica): caches and subscriptions of every process hear of it (src/store/intent-change-feed.ts,
-- docs/decisions/intent-change-feed.md). NOTIFY is sent at commit, once per id and transaction.
-- A write that only records a refresh (refreshed_at) announces nothing: what a reader sees is unchanged.
create function announce_payment_intent_change() returns trigger language plpgsql as $$
begin
  perform pg_notify(
    -- Channel names are identifiers: at most 63 bytes. The listener derives the same name.
    left(tg_table_schema || '.payment_intents', 63),
    -- When it was written, for the notification lag the listeners measure.
    json_build_object('id', new.id, 'at', floor(extract(epoch from clock_timestamp()) * 1000))::text
  );
  return null;
end
$$;

create trigger payment_intent_inserted after insert on payment_intents
  for each row execute function announce_payment_intent_change();

create trigger payment_intent_changed after update on payment_intents
  for each row
  when (old.intent is distinct from new.intent or old.superseded_by is distinct from new.superseded_by)
  execute function announce_payment_intent_change();
