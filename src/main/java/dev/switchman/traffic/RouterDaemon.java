package dev.switchman.traffic;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** A router that Switchman serves in a process of its own, which outlives every release. */
public interface RouterDaemon {

    /** A name for its files, unique on the host for this config ({@code router-8080}). */
    String name();

    /** Where it serves, for people: {@code 0.0.0.0:8080, admin 127.0.0.1:8079}. */
    String describe();

    /**
     * The Vert.x it serves on, on the sockets it chose: the JDK's unless it picks a native transport. Fails naming
     * its key when the transport it was told to use cannot run here.
     */
    default Vertx newVertx() {
        return Vertx.vertx();
    }

    /** Listens and serves until the returned server is closed; fails naming the key when a port is in use. */
    Future<Running> start(Vertx vertx);

    /** A started router. */
    interface Running {
        /** Stops accepting, lets requests being served finish for a while, then closes. */
        Future<Void> close();
    }
}
