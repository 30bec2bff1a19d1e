package dev.switchman.lint;

/**
 * What the lint knows to be unsafe in a zero-downtime release, each with a stable id, why it is unsafe and the
 * safe way. Mostly {@link Effect#BREAKS_LIVE} rules apply in expand (the live version still runs on the schema),
 * {@link Effect#BLOCKS} rules in both phases, on tables that already exist; {@link Effect#UNKNOWN} rules fail
 * closed on what cannot be judged. Where each applies is the check's to say ({@link StatementChecks}).
 */
public enum Rule {
    DROP_COLUMN("drop-column", Effect.BREAKS_LIVE,
            "the live version still reads and writes the column: its queries fail as soon as it is gone",
            "stop using the column in this version, and drop it in the contract phase"),
    DROP_TABLE("drop-table", Effect.BREAKS_LIVE,
            "the live version still uses the table",
            "drop it in the contract phase, once no version in traffic uses it"),
    RENAME_COLUMN("rename-column", Effect.BREAKS_LIVE,
            "whichever version reads the old name fails as soon as it changes (in expand the live version, in contract the new one if it reads it)",
            "add the new column in expand, write both (a trigger or the application), backfill, switch reads, drop the old one in contract"),
    RENAME_TABLE("rename-table", Effect.BREAKS_LIVE,
            "the version that uses the old name fails as soon as it changes",
            "create the new table (or a view with the new name) in expand and drop the old name in contract"),
    CHANGE_COLUMN_TYPE("change-column-type", Effect.BLOCKS,
            "changing a column's type rewrites the table (and its indexes) under an ACCESS EXCLUSIVE lock, and the live version may not read the new type",
            "add a column of the new type in expand, write both, backfill in batches, switch reads, drop the old one in contract"),
    SET_NOT_NULL_IN_EXPAND("set-not-null-in-expand", Effect.BREAKS_LIVE,
            "the live version may insert rows without the column: its inserts fail once it is NOT NULL",
            "make the column NOT NULL in the contract phase, once every version in traffic writes it"),
    SET_NOT_NULL_WITHOUT_CHECK("set-not-null-without-check", Effect.BLOCKS,
            "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
            "first ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT c (no exclusive lock), then SET NOT NULL (no scan), then drop the check"),
    DROP_DEFAULT("drop-default", Effect.BREAKS_LIVE,
            "the live version may rely on the default when it inserts rows",
            "drop the default in the contract phase"),
    ADD_REQUIRED_COLUMN("add-required-column", Effect.BREAKS_LIVE,
            "a NOT NULL column without a default makes every insert of the live version, which does not know the column, fail",
            "add it with a default, or nullable, in expand; make it NOT NULL in contract"),
    INDEX_NOT_CONCURRENT("index-not-concurrent", Effect.BLOCKS,
            "CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built",
            "CREATE INDEX CONCURRENTLY, in a change that runs outside a transaction"),
    DROP_INDEX_NOT_CONCURRENT("drop-index-not-concurrent", Effect.BLOCKS,
            "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table",
            "DROP INDEX CONCURRENTLY, in a change that runs outside a transaction"),
    REINDEX_NOT_CONCURRENT("reindex-not-concurrent", Effect.BLOCKS,
            "REINDEX without CONCURRENTLY blocks writes (and reads that use the index) until it ends",
            "REINDEX ... CONCURRENTLY, outside a transaction"),
    CONSTRAINT_NOT_VALID("constraint-not-valid", Effect.BLOCKS,
            "adding a foreign key or check constraint validates every row while holding a lock that blocks writes",
            "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement (it takes a weaker lock)"),
    UNIQUE_WITHOUT_INDEX("unique-without-index", Effect.BLOCKS,
            "adding a unique or primary key constraint builds its index under an ACCESS EXCLUSIVE lock",
            "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)"),
    EXCLUSION_CONSTRAINT("exclusion-constraint", Effect.BLOCKS,
            "adding an exclusion constraint builds its index and checks every row under an ACCESS EXCLUSIVE lock",
            "there is no online way: add it on a new table, or in a maintenance window (accept with a reason)"),
    VOLATILE_DEFAULT("volatile-default", Effect.BLOCKS,
            "a column added with a volatile default (random(), clock_timestamp(), a sequence...) rewrites the whole table under an ACCESS EXCLUSIVE lock",
            "add the column without a default (or with a constant one), set the default, backfill in batches"),
    GENERATED_STORED_COLUMN("generated-stored-column", Effect.BLOCKS,
            "adding a stored generated column rewrites the whole table under an ACCESS EXCLUSIVE lock",
            "add a plain column, fill it with a trigger and a batched backfill"),
    ADD_SERIAL_COLUMN("add-serial-column", Effect.BLOCKS,
            "adding a serial or identity column to an existing table rewrites it under an ACCESS EXCLUSIVE lock",
            "add a plain column, a sequence and a default, backfill in batches"),
    DETACH_PARTITION_NOT_CONCURRENT("detach-partition-not-concurrent", Effect.BLOCKS,
            "DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the parent table",
            "DETACH PARTITION ... CONCURRENTLY, outside a transaction"),
    CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction", Effect.BLOCKS,
            "a CONCURRENTLY statement cannot run inside a transaction: PostgreSQL refuses it and the change fails",
            "run the change outside a transaction (Liquibase: runInTransaction:false; Alembic: autocommit_block())"),
    VACUUM_FULL("vacuum-full", Effect.BLOCKS,
            "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock",
            "plain VACUUM, or pg_repack outside the release"),
    CLUSTER("cluster", Effect.BLOCKS,
            "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock",
            "pg_repack outside the release"),
    LOCK_TABLE("lock-table", Effect.BLOCKS,
            "an explicit LOCK TABLE holds the live version's queries for as long as the migration runs",
            "let each statement take the lock it needs, bounded by lock_timeout"),
    TRUNCATE("truncate", Effect.BLOCKS,
            "TRUNCATE takes an ACCESS EXCLUSIVE lock and throws away the live version's data",
            "delete in batches, in a change the release can afford; or accept it with a reason"),
    JSON_COLUMN("json-column", Effect.BREAKS_LIVE,
            "a json column has no equality operator: queries with DISTINCT, UNION or GROUP BY over the row fail",
            "use jsonb"),
    DROP_SCHEMA_OR_DATABASE("drop-schema", Effect.BREAKS_LIVE,
            "dropping a schema or a database takes everything in it away from every version",
            "never in a release: do it by hand, once nothing uses it"),
    UNPARSABLE("unparsable-sql", Effect.UNKNOWN,
            "PostgreSQL's grammar does not parse the statement: the lint cannot judge it, and PostgreSQL will refuse it too",
            "fix the statement, or accept the change with a reason if it is not SQL for PostgreSQL's parser"),
    UNRECOGNISED("unrecognised-statement", Effect.UNKNOWN,
            "the lint does not know what this kind of statement does to a live table, so it does not pass it blindly",
            "check it by hand and accept it with a reason (-- switchman:accept unrecognised-statement <why it is safe>)");

    /** What a rule's statement does to a release. */
    public enum Effect {
        /** The live version, still in traffic during expand, fails on the new schema. */
        BREAKS_LIVE,
        /** The statement holds a lock that stops the live version's queries, or fails in a transaction. */
        BLOCKS,
        /** The lint cannot judge it. */
        UNKNOWN
    }

    private final String id;
    private final Effect effect;
    private final String why;
    private final String safe;

    Rule(String id, Effect effect, String why, String safe) {
        this.id = id;
        this.effect = effect;
        this.why = why;
        this.safe = safe;
    }

    public String id() {
        return id;
    }

    public Effect effect() {
        return effect;
    }

    public String why() {
        return why;
    }

    public String safe() {
        return safe;
    }

    /** The rule with this id, or null. */
    public static Rule byId(String id) {
        for (Rule rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        return null;
    }
}
