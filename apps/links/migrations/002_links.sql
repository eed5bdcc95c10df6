create table links (
  id bigint generated always as identity primary key,
  code text not null,
  url text not null,
  account_id bigint not null references accounts (id) on delete cascade,
  clicks bigint not null default 0,
  created_at timestamptz not null default now(),
  constraint links_code_key unique (code)
);
-- Dashboard and API listing: newest first per account, keyset-paginated by id.
create index links_account_id_id_idx on links (account_id, id desc);
