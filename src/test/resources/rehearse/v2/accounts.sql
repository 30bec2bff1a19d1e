--liquibase formatted sql

-- The release: an expand that only adds (no rewrite), a contract that changes a column's type (a rewrite).

--changeset test:h1-accounts labels:expand
create table accounts (id bigint primary key, balance int not null);
insert into accounts select g, g % 1000 from generate_series(1, 50000) g;
--rollback drop table accounts;

--changeset test:r1-add-note labels:expand
alter table accounts add column note text;
--rollback alter table accounts drop column note;

--changeset test:r2-index-note labels:expand runInTransaction:false
create index concurrently accounts_note on accounts (note);
--rollback drop index concurrently accounts_note;

--changeset test:c1-widen-balance labels:contract
alter table accounts alter column balance type bigint;
