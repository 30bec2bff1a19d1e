--liquibase formatted sql

--changeset test:h1-accounts labels:expand
create table accounts (id bigint primary key, balance int not null);
insert into accounts select g, g % 1000 from generate_series(1, 50000) g;
--rollback drop table accounts;

--changeset test:r1-add-columns labels:expand
alter table accounts add column note text;
alter table accounts add column nickname text;
--rollback alter table accounts drop column note;
