--liquibase formatted sql
-- The safe ways, some of them tricky: none of these may be flagged.

--changeset corpus:base labels:expand
create table users (id bigint primary key, email text, name text, created_at timestamptz);
create table orders (id bigint primary key, user_id bigint, total numeric);
create table staging (id bigint);
create table events (id bigint, at timestamptz) partition by range (at);
create table events_2020 partition of events for values from ('2020-01-01') to ('2021-01-01');
create index users_name_idx on users (name);

--changeset corpus:new-table-with-its-index labels:expand
create table audit (id bigserial primary key, data jsonb, at timestamptz not null default now());
create index audit_at on audit (at);
alter table audit add constraint audit_data_present check (data is not null);

--changeset corpus:a-comment-that-mentions-drop-column labels:expand
-- v3 will drop column name; this release only adds the new one (ALTER TABLE users DROP COLUMN name comes later)
alter table users add column full_name text;

--changeset corpus:index-concurrently-outside-a-transaction labels:expand runInTransaction:false
create index concurrently users_email_idx on users (email);

--changeset corpus:unique-concurrently labels:expand runInTransaction:false
create unique index concurrently users_email_key_idx on users (email);

--changeset corpus:unique-using-the-index labels:expand
alter table users add constraint users_email_key unique using index users_email_key_idx;

--changeset corpus:foreign-key-not-valid labels:expand
alter table orders add constraint orders_user_fk foreign key (user_id) references users (id) not valid;

--changeset corpus:then-validated labels:expand
alter table orders validate constraint orders_user_fk;

--changeset corpus:not-null-check labels:expand
alter table users add constraint users_email_nn check (email is not null) not valid;

--changeset corpus:not-null-check-validated labels:expand
alter table users validate constraint users_email_nn;

--changeset corpus:set-not-null-after-the-check labels:contract
alter table users alter column email set not null;
alter table users drop constraint users_email_nn;

--changeset corpus:constant-and-stable-defaults labels:expand
alter table users add column active boolean not null default true;
alter table users add column joined_at timestamptz default now();
alter table users alter column active set default false;

--changeset corpus:drops-in-contract labels:contract
alter table users drop column name;
drop table staging;
alter table users alter column created_at drop default;

--changeset corpus:concurrent-drops labels:contract runInTransaction:false
drop index concurrently users_name_idx;
alter table events detach partition events_2020 concurrently;

--changeset corpus:data-and-views labels:expand
insert into orders (id, user_id, total) values (1, 1, 10);
update users set full_name = email where full_name is null;
create view user_names as select id, full_name from users;
comment on column users.full_name is 'replaces name (drop column name in v3)';

--changeset corpus:accepted labels:expand
-- switchman:accept lock-table the table is only read by the nightly export, which is stopped during releases
lock table orders in share mode;
