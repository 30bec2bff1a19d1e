--liquibase formatted sql logicalFilePath:greeter/changelog.sql

--changeset greeter:1 labels:expand
CREATE TABLE greeting (id serial PRIMARY KEY, message text NOT NULL, style text);
--rollback DROP TABLE greeting;

--changeset greeter:2 labels:expand
INSERT INTO greeting (message, style) VALUES ('Hello', 'plain');
--rollback DELETE FROM greeting WHERE message = 'Hello';

--changeset greeter:3 labels:expand
ALTER TABLE greeting ADD COLUMN language text NOT NULL DEFAULT 'en';
--rollback ALTER TABLE greeting DROP COLUMN language;

--changeset greeter:4 labels:contract
ALTER TABLE greeting DROP COLUMN style;
