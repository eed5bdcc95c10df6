-- Every click flush names its batch. A flush whose COMMIT reply never arrived is retried with the same id, and
-- the id already here means those clicks were counted: no click is counted twice. Rows older than a day are
-- purged by housekeeping, so a batch left unconfirmed through an outage longer than a day could count twice.
create table click_batches (
  id uuid primary key,
  flushed_at timestamptz not null default now()
);
create index click_batches_flushed_at_idx on click_batches (flushed_at);
