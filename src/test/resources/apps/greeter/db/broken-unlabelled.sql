--liquibase formatted sql logicalFilePath:greeter/changelog.sql

--changeset greeter:1 labels:expand
CREATE TABLE greeting (id serial PRIMARY KEY, message text NOT NULL, style text);
--rollback DROP TABLE greeting;

--changeset greeter:2
INSERT INTO greeting (message, style) VALUES ('Hello', 'plain');
--rollback DELETE FROM greeting WHERE message = 'Hello';
