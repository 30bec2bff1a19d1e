--liquibase formatted sql
-- Rename users.name to users.full_name. v1 reads and writes name; v2 reads and writes full_name.

--changeset guide:base labels:expand
create table users (id bigint primary key, name text);
insert into users values (1, 'Ada'), (2, 'Grace');
--rollback drop table users;

-- Expand: the new column, kept equal to the old one whichever version writes, then filled.
--changeset guide:rename-1-add labels:expand
alter table users add column full_name text;
--rollback alter table users drop column full_name;

--changeset guide:rename-2-sync-function labels:expand splitStatements:false
create function users_sync_full_name() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        if new.full_name is null then new.full_name := new.name; elsif new.name is null then new.name := new.full_name; end if;
    elsif new.name is distinct from old.name then
        new.full_name := new.name;
    elsif new.full_name is distinct from old.full_name then
        new.name := new.full_name;
    end if;
    return new;
end $$;
--rollback drop function users_sync_full_name();

--changeset guide:rename-3-sync-trigger labels:expand
create trigger users_sync_full_name before insert or update on users for each row execute function users_sync_full_name();
--rollback drop trigger users_sync_full_name on users;

--changeset guide:rename-4-backfill labels:expand
update users set full_name = name where full_name is null;
--rollback select 1;

-- Contract: v1 is gone, so is the old name.
--changeset guide:rename-5-drop-old labels:contract
drop trigger users_sync_full_name on users;
drop function users_sync_full_name();
alter table users drop column name;
