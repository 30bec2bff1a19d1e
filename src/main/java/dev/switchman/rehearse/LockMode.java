package dev.switchman.rehearse;

/**
 * PostgreSQL's table lock modes, weakest first, and what each means for the application's queries: a SELECT takes
 * ACCESS SHARE, which only ACCESS EXCLUSIVE blocks; INSERT, UPDATE and DELETE take ROW EXCLUSIVE, which SHARE and
 * every stronger mode block.
 */
public enum LockMode {
    ACCESS_SHARE("AccessShareLock"),
    ROW_SHARE("RowShareLock"),
    ROW_EXCLUSIVE("RowExclusiveLock"),
    SHARE_UPDATE_EXCLUSIVE("ShareUpdateExclusiveLock"),
    SHARE("ShareLock"),
    SHARE_ROW_EXCLUSIVE("ShareRowExclusiveLock"),
    EXCLUSIVE("ExclusiveLock"),
    ACCESS_EXCLUSIVE("AccessExclusiveLock");

    private final String pgName;

    LockMode(String pgName) {
        this.pgName = pgName;
    }

    /** The mode {@code pg_locks.mode} names, or null for one that is no table lock (a predicate lock, SIReadLock). */
    static LockMode of(String pgName) {
        for (LockMode mode : values()) {
            if (mode.pgName.equals(pgName)) {
                return mode;
            }
        }
        return null;
    }

    /** As PostgreSQL's documentation writes it: ACCESS EXCLUSIVE. */
    public String shown() {
        return name().replace('_', ' ');
    }

    public boolean blocksReads() {
        return this == ACCESS_EXCLUSIVE;
    }

    public boolean blocksWrites() {
        return compareTo(SHARE) >= 0;
    }

    /** What the application's queries on the table wait for while the lock is held. */
    public String blocks() {
        return blocksReads() ? "blocks reads and writes" : blocksWrites() ? "blocks writes" : "blocks neither reads nor writes";
    }
}
