--liquibase formatted sql

--changeset test:h1-accounts labels:expand
create table accounts (id bigint primary key, balance int not null);
insert into accounts select g, g % 1000 from generate_series(1, 50000) g;
--rollback drop table accounts;

--changeset test:r1-add-note labels:expand
alter table accounts add column note text;
--rollback alter table accounts drop column no_such_column;

--changeset test:r2-add-flag labels:expand
alter table accounts add column flag boolean;
--rollback alter table accounts drop column flag;
