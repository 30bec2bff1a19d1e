--liquibase formatted sql
-- Each changeset below does one unsafe thing; its id is the rule the lint must name (a "-2" suffix for a second
-- example). "base" creates the tables, so the others judge tables that already exist.

--changeset corpus:base labels:expand
create table users (id bigint primary key, email text, name text, created_at timestamptz default now());
create table orders (id bigint primary key, user_id bigint, total numeric);
create table legacy (id bigint primary key);
create table events (id bigint, at timestamptz) partition by range (at);
create table events_2020 partition of events for values from ('2020-01-01') to ('2021-01-01');
create index users_old_idx on users (name);

--changeset corpus:drop-column labels:expand
alter table users drop column name;

--changeset corpus:drop-table labels:expand
drop table legacy;

--changeset corpus:rename-column labels:expand
alter table users rename column email to mail;

--changeset corpus:rename-table labels:contract
alter table legacy rename to old_legacy;

--changeset corpus:change-column-type labels:contract
alter table orders alter column total type bigint;

--changeset corpus:set-not-null-in-expand labels:expand
alter table users add constraint users_name_nn check (name is not null) not valid;
alter table users validate constraint users_name_nn;
alter table users alter column name set not null;

--changeset corpus:set-not-null-without-check labels:contract
alter table users alter column email set not null;

--changeset corpus:drop-default labels:expand
alter table users alter column created_at drop default;

--changeset corpus:add-required-column labels:expand
alter table users add column tenant bigint not null;

--changeset corpus:index-not-concurrent labels:expand
create index users_email on users (email);

--changeset corpus:drop-index-not-concurrent labels:contract
drop index users_old_idx;

--changeset corpus:reindex-not-concurrent labels:contract
reindex index users_old_idx;

--changeset corpus:constraint-not-valid labels:expand
alter table orders add constraint orders_user_fk foreign key (user_id) references users (id);

--changeset corpus:constraint-not-valid-2 labels:expand
alter table orders add constraint orders_total_positive check (total > 0);

--changeset corpus:unique-without-index labels:expand
alter table users add constraint users_email_key unique (email);

--changeset corpus:exclusion-constraint labels:expand
alter table orders add constraint orders_no_overlap exclude using gist (user_id with =);

--changeset corpus:volatile-default labels:expand
alter table orders add column token uuid default gen_random_uuid();

--changeset corpus:generated-stored-column labels:expand
alter table orders add column total_cents numeric generated always as (total * 100) stored;

--changeset corpus:add-serial-column labels:expand
alter table legacy add column seq bigserial;

--changeset corpus:detach-partition-not-concurrent labels:contract
alter table events detach partition events_2020;

--changeset corpus:concurrently-in-transaction labels:expand
create index concurrently orders_user on orders (user_id);

--changeset corpus:vacuum-full labels:contract
vacuum full users;

--changeset corpus:cluster labels:contract
cluster users using users_pkey;

--changeset corpus:lock-table labels:expand
lock table users in access exclusive mode;

--changeset corpus:truncate labels:contract
truncate orders;

--changeset corpus:json-column labels:expand
alter table users add column prefs json;

--changeset corpus:drop-schema labels:contract
drop schema reporting cascade;

--changeset corpus:unparsable-sql labels:expand
alter tabel users add column nickname text;

--changeset corpus:unrecognised-statement labels:expand
do $$ begin perform 1; end $$;
