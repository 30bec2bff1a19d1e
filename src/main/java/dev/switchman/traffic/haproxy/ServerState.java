package dev.switchman.traffic.haproxy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One server's row of {@code show servers state <backend>}: its address, weight, and HAProxy's operational and
 * administrative states (the flags of HAProxy's {@code srv_admin_state}).
 */
record ServerState(String name, String address, int port, int operational, int admin, int weight) {
    /** Forced or inherited maintenance, or an address resolution failure; not the config's {@code disabled} mark. */
    private static final int MAINT = 0x01 | 0x02 | 0x20;
    private static final int DRAIN = 0x08 | 0x10;
    private static final int RUNNING = 2;

    boolean maint() {
        return (admin & MAINT) != 0;
    }

    boolean drain() {
        return !maint() && (admin & DRAIN) != 0;
    }

    boolean ready() {
        return !maint() && !drain();
    }

    boolean running() {
        return operational == RUNNING;
    }

    /** The weight HAProxy balances by now: none in maintenance or drain, or while its health check fails. */
    int effectiveWeight() {
        return ready() && running() ? weight : 0;
    }

    String where() {
        return address + ":" + port;
    }

    /**
     * Reads HAProxy's answer to {@code show servers state <backend>} (format version 1: a version line, a header line
     * naming the columns, one line per server); {@code null} when the answer is not that table (e.g. no such backend).
     */
    static Map<String, ServerState> parse(String answer) {
        List<String> lines = answer.lines().filter(line -> !line.isBlank()).toList();
        if (lines.size() < 2 || !lines.get(0).trim().equals("1") || !lines.get(1).startsWith("#")) {
            return null;
        }
        List<String> columns = List.of(lines.get(1).substring(1).trim().split("\\s+"));
        Map<String, ServerState> servers = new HashMap<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] values = line.trim().split("\\s+");
            ServerState state = new ServerState(
                    value(columns, values, "srv_name"),
                    value(columns, values, "srv_addr"),
                    Integer.parseInt(value(columns, values, "srv_port")),
                    Integer.parseInt(value(columns, values, "srv_op_state")),
                    Integer.parseInt(value(columns, values, "srv_admin_state")),
                    Integer.parseInt(value(columns, values, "srv_uweight")));
            servers.put(state.name(), state);
        }
        return servers;
    }

    private static String value(List<String> columns, String[] values, String column) {
        int i = columns.indexOf(column);
        if (i < 0 || i >= values.length) {
            throw new IllegalStateException("HAProxy's 'show servers state' has no column " + column);
        }
        return values[i];
    }
}
