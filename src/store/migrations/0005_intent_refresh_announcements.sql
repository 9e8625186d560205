-- A write that only records a refresh (refreshed_at: a provider confirmed the stored copy unchanged)
-- is announced too, marked "refreshed", with the copy's age: every replica's memory then knows how
-- old each copy it holds is, and refreshes a stale one from its provider without first asking the
-- store whether another replica already did (docs/decisions/intent-cache.md). Subscribers of an
-- intent are told nothing of it: what a reader sees is unchanged.
create or replace function announce_payment_intent_change() returns trigger language plpgsql as $$
declare
  refreshed boolean := tg_op = 'UPDATE' and old.intent is not distinct from new.intent
                       and old.superseded_by is not distinct from new.superseded_by;
begin
  perform pg_notify(
    -- Channel names are identifiers: at most 63 bytes. The listener derives the same name.
    left(tg_table_schema || '.payment_intents', 63),
    json_build_object(
      'id', new.id,
      -- When it was written, for the notification lag the listeners measure.
      'at', floor(extract(epoch from clock_timestamp()) * 1000),
      'refreshed', refreshed,
      -- How old the copy was when announced, by the store's clock (a refresh may be recorded late).
      'ageMs', case when refreshed then floor(extract(epoch from clock_timestamp() - new.refreshed_at) * 1000) end
    )::text
  );
  return null;
end
$$;

drop trigger payment_intent_changed on payment_intents;

create trigger payment_intent_changed after update on payment_intents
  for each row
  when (old.intent is distinct from new.intent or old.superseded_by is distinct from new.superseded_by
        or old.refreshed_at is distinct from new.refreshed_at)
  execute function announce_payment_intent_change();
