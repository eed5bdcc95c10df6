-- A short code is a name people read: `PayPal-Login` and `paypal-login` are one name, so one owner. Lookups stay
-- exact (a generated code is mixed-case); only uniqueness ignores case. Creating the index fails, naming the
-- key, if two existing codes differ only in case: apps/links/README.md (Data) says what to do.
create unique index links_code_lower_key on links (lower(code));

-- A deleted code rests here (by its lower-case form) before anyone may take it again: links to it are still out
-- there, and clicks counted for it on any replica must not land on a stranger's new link.
create table retired_codes (
  code_key text primary key,
  retired_at timestamptz not null default now()
);
