--liquibase formatted sql
-- Make users.email unique: the index is built concurrently (writes go on), then the constraint uses it.

--changeset guide:base labels:expand
create table users (id bigint primary key, email text);
insert into users values (1, 'ada@example.org'), (2, 'grace@example.org');
--rollback drop table users;

-- CONCURRENTLY cannot run in a transaction: this changeset runs outside one.
--changeset guide:unique-1-index labels:expand runInTransaction:false
create unique index concurrently users_email_key on users (email);
--rollback drop index if exists users_email_key;

--changeset guide:unique-2-constraint labels:expand
alter table users add constraint users_email_key unique using index users_email_key;
--rollback alter table users drop constraint users_email_key;
