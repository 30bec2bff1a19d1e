--liquibase formatted sql
-- Build an index on a table in use: CONCURRENTLY, outside a transaction, so writes go on while it builds.

--changeset guide:base labels:expand
create table events (id bigint primary key, user_id bigint, at timestamptz);
insert into events select g, g % 100, now() from generate_series(1, 1000) g;
--rollback drop table events;

--changeset guide:index-1-build labels:expand runInTransaction:false
create index concurrently events_user_at on events (user_id, at);
--rollback drop index if exists events_user_at;
