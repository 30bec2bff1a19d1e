--liquibase formatted sql
-- Move users' address into a table of its own. v1 writes users.street/city; v2 reads and writes addresses.

--changeset guide:base labels:expand
create table users (id bigint primary key, street text, city text);
insert into users values (1, 'Main St 1', 'Springfield'), (2, 'Elm St 2', 'Shelbyville');
--rollback drop table users;

--changeset guide:split-1-table labels:expand
create table addresses (user_id bigint primary key references users (id), street text, city text);
--rollback drop table addresses;

-- What v1 writes into users reaches addresses too, while both versions run.
--changeset guide:split-2-sync-function labels:expand splitStatements:false
create function users_copy_address() returns trigger language plpgsql as $$
begin
    insert into addresses (user_id, street, city) values (new.id, new.street, new.city)
    on conflict (user_id) do update set street = excluded.street, city = excluded.city;
    return new;
end $$;
--rollback drop function users_copy_address();

--changeset guide:split-3-sync-trigger labels:expand
create trigger users_copy_address after insert or update of street, city on users for each row
    when (new.street is not null or new.city is not null) execute function users_copy_address();
--rollback drop trigger users_copy_address on users;

--changeset guide:split-4-backfill labels:expand
insert into addresses (user_id, street, city) select id, street, city from users on conflict (user_id) do nothing;
--rollback select 1;

--changeset guide:split-5-drop-old labels:contract
drop trigger users_copy_address on users;
drop function users_copy_address();
alter table users drop column street;
alter table users drop column city;
