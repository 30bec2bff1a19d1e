--liquibase formatted sql
-- Add a foreign key from orders.user_id to users.id without blocking writes while every row is checked.

--changeset guide:base labels:expand
create table users (id bigint primary key);
create table orders (id bigint primary key, user_id bigint);
insert into users values (1), (2);
insert into orders values (10, 1), (11, 2);
--rollback drop table orders; drop table users;

-- NOT VALID: checked for new rows at once, old rows not yet; a brief lock only.
--changeset guide:fk-1-add labels:expand
alter table orders add constraint orders_user_fk foreign key (user_id) references users (id) not valid;
--rollback alter table orders drop constraint orders_user_fk;

-- VALIDATE scans the old rows under a lock that lets writes go on.
--changeset guide:fk-2-validate labels:expand
alter table orders validate constraint orders_user_fk;
--rollback select 1;
