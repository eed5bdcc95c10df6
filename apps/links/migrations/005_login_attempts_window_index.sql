-- Housekeeping deletes failed-login counters whose window started more than a day ago, in batches picked by
-- window start; without this index each batch scans the whole table, which a flood of failed logins makes
-- longer than the 2 s statement timeout. A plain build (migrations run in a transaction) blocks writes to the
-- table only while it runs.
create index login_attempts_window_started_at_idx on login_attempts (window_started_at);
