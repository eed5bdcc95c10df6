-- The links service's own database logins on RDS, created once by a person as the RDS master user
-- (docs/aws.md, "From an empty account to both clusters synced", step 7). Afterwards nothing uses the master user:
-- the service and its migrations connect as one of the two logins below. infra/test/app-login.test.ts runs this file
-- against PostgreSQL.
--
-- Least privilege: the logins own nothing and can create nothing outside the schema `links`. The schema and every
-- object the migrations create belong to the NOLOGIN role links_owner; each login is a member and starts every
-- session as links_owner (`SET role`), so what one login creates the other can alter.
--
-- Rotation without a restart storm: two logins, blue and green. The secret runway/prod/database names one of them;
-- rotating sets a new password on the *other* and points the secret at it, so pods still holding the old login keep
-- connecting until the Rollout has replaced them (docs/secrets.md, "Rotation"). Passwords are set afterwards with
-- psql's \password, so they never appear in this file, in a shell history or in a process list.
--
-- Run: psql "host=<rds_endpoint> dbname=links user=<master> sslmode=require" -v ON_ERROR_STOP=1 -f app-login.sql

create role links_owner nologin;
-- RDS's master is not a superuser: since PostgreSQL 16 a CREATEROLE creator holds only ADMIN on the role it made,
-- and CREATE SCHEMA ... AUTHORIZATION needs SET on it.
grant links_owner to current_user;

create role links_app_blue login in role links_owner;
create role links_app_green login in role links_owner;
alter role links_app_blue set role = 'links_owner';
alter role links_app_green set role = 'links_owner';
alter role links_app_blue set search_path = links;
alter role links_app_green set search_path = links;

create schema links authorization links_owner;

-- Nothing for anyone else: no connecting to this database by default, no objects in public.
do $$
begin
  execute format('revoke all on database %I from public', current_database());
  execute format('grant connect on database %I to links_owner', current_database());
end
$$;
revoke all on schema public from public;
