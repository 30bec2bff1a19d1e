--liquibase formatted sql
-- Make users.email NOT NULL. v1 may insert users without an email, so the constraint waits for contract; and
-- a validated check first lets SET NOT NULL skip its scan of the whole table under an exclusive lock.

--changeset guide:base labels:expand
create table users (id bigint primary key, email text);
insert into users values (1, 'ada@example.org'), (2, null);
--rollback drop table users;

-- Expand: v2 always writes an email; the rows without one get one.
--changeset guide:not-null-1-backfill labels:expand
update users set email = 'user' || id || '@example.invalid' where email is null;
--rollback select 1;

-- Contract, each step its own transaction: the check (checks new rows only), then validated (no exclusive
-- lock), then SET NOT NULL (no scan, as the validated check proves it), then the check goes.
--changeset guide:not-null-2-check labels:contract
alter table users add constraint users_email_not_null check (email is not null) not valid;

--changeset guide:not-null-3-validate labels:contract
alter table users validate constraint users_email_not_null;

--changeset guide:not-null-4-set labels:contract
alter table users alter column email set not null;
alter table users drop constraint users_email_not_null;
