package dev.switchman.traffic.builtin;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.util.Locale;

/**
 * {@code router.transport}: the sockets the router process's Vert.x, and so its public port, runs on. {@code auto}
 * takes io_uring where the kernel allows it, else epoll, else the JDK's NIO; the others insist on one. On these two
 * cores io_uring cost the proxy about a fifth less CPU per request than epoll in docs/bench/routers.sh, with fewer
 * system calls; a container whose seccomp profile forbids io_uring (Docker's default) gets epoll.
 */
public enum RouterTransport {
    AUTO(null), IO_URING(Transport.IO_URING), EPOLL(Transport.EPOLL), NIO(Transport.NIO);

    private final Transport only;

    RouterTransport(Transport only) {
        this.only = only;
    }

    @JsonCreator
    static RouterTransport of(String value) {
        for (RouterTransport t : values()) {
            if (t.word().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("router.transport must be auto, io_uring, epoll or nio, got '" + value + "'");
    }

    /** Its word in the config file. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The transport to run on: the first available for {@code auto}. Fails naming the key, and why, when the one
     * asked for cannot run here.
     */
    public Transport pick() {
        if (only != null) {
            if (!only.available()) {
                throw new IllegalArgumentException("router.transport is " + word() + ", which cannot run here ("
                        + why(only) + "): set it to auto, or to one this machine has");
            }
            return only;
        }
        for (Transport t : new Transport[] {Transport.IO_URING, Transport.EPOLL}) {
            if (t.available()) {
                return t;
            }
        }
        return Transport.NIO;
    }

    /** A Vert.x on {@code transport}. */
    public static Vertx vertxOn(Transport transport) {
        return transport == Transport.NIO ? Vertx.vertx() : Vertx.builder().withTransport(transport).build();
    }

    /** For the router's log: the transport {@code chosen}, and for {@code auto} why not a better one. */
    public String describe(Transport chosen) {
        String name = chosen.name().toLowerCase(Locale.ROOT);
        if (this != AUTO || chosen == Transport.IO_URING) {
            return name;
        }
        return name + " (io_uring: " + why(Transport.IO_URING)
                + (chosen == Transport.NIO ? "; epoll: " + why(Transport.EPOLL) : "") + ")";
    }

    private static String why(Transport t) {
        Throwable cause = t.unavailabilityCause();
        return cause == null ? "not available" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
