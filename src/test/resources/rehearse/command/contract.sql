alter table accounts alter column balance type bigint;
