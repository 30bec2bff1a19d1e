--liquibase formatted sql

-- The history before the release: a table with rows, so that a rewrite has something to copy.

--changeset test:h1-accounts labels:expand
create table accounts (id bigint primary key, balance int not null);
insert into accounts select g, g % 1000 from generate_series(1, 50000) g;
--rollback drop table accounts;
