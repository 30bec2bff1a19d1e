--liquibase formatted sql
-- Change orders.price (numeric, in euros) to orders.price_cents (bigint). An ALTER COLUMN ... TYPE would rewrite
-- the table under an exclusive lock and break v1, which reads numeric: a new column instead.

--changeset guide:base labels:expand
create table orders (id bigint primary key, price numeric);
insert into orders values (1, 9.99), (2, 120);
--rollback drop table orders;

--changeset guide:type-1-add labels:expand
alter table orders add column price_cents bigint;
--rollback alter table orders drop column price_cents;

--changeset guide:type-2-sync-function labels:expand splitStatements:false
create function orders_sync_price() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        if new.price_cents is null and new.price is not null then new.price_cents := round(new.price * 100);
        elsif new.price is null and new.price_cents is not null then new.price := new.price_cents / 100.0; end if;
    elsif new.price is distinct from old.price then
        new.price_cents := round(new.price * 100);
    elsif new.price_cents is distinct from old.price_cents then
        new.price := new.price_cents / 100.0;
    end if;
    return new;
end $$;
--rollback drop function orders_sync_price();

--changeset guide:type-3-sync-trigger labels:expand
create trigger orders_sync_price before insert or update on orders for each row execute function orders_sync_price();
--rollback drop trigger orders_sync_price on orders;

-- On a large table, backfill in batches (where id between ...), each its own statement.
--changeset guide:type-4-backfill labels:expand
update orders set price_cents = round(price * 100) where price_cents is null and price is not null;
--rollback select 1;

--changeset guide:type-5-drop-old labels:contract
drop trigger orders_sync_price on orders;
drop function orders_sync_price();
alter table orders drop column price;
