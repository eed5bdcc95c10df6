-- Accounts and their login sessions. E-mail is unique case-insensitively through email_normalized.
create table accounts (
  id bigint generated always as identity primary key,
  email text not null,
  email_normalized text not null,
  password_hash text not null,
  created_at timestamptz not null default now(),
  constraint accounts_email_normalized_key unique (email_normalized)
);

-- Only the SHA-256 of a session token is stored: a database leak does not hand out sessions.
create table sessions (
  token_hash text primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_account_id_idx on sessions (account_id);
create index sessions_expires_at_idx on sessions (expires_at);

-- Failed-login counters shared by every replica (keyed by e-mail and by client address).
create table login_attempts (
  key text primary key,
  failures integer not null,
  window_started_at timestamptz not null
);
