package dev.switchman.traffic.haproxy;

import dev.switchman.traffic.RouterStatus.ColourStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters of the servers of one backend, from {@code show stat <backend> 4 -1} (CSV, its header naming the
 * columns). Requests are the ended ones: every response by status class ({@code hrsp_1xx} ... {@code hrsp_other}) plus
 * {@code econ} and {@code eresp}, so that requests and errors count the same requests (HAProxy's {@code stot} counts
 * a request when it is sent, and a window opened while some were in flight could then see more errors than
 * requests); errors are what the server did wrong: {@code econ} (connection failed) + {@code eresp} (response failed
 * or cut) + {@code hrsp_5xx} (answered 5xx);
 * in flight is {@code scur}; client aborts {@code cli_abrt}; the mean latency {@code rtime} (HAProxy's average over
 * the last 1024 responses).
 */
final class ServerStats {
    private static final List<String> ANSWERS = List.of("hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other");

    private ServerStats() {}

    /** Per server name; an answer that is not the CSV table is an error. */
    static Map<String, ColourStats> parse(String answer) {
        List<String> lines = answer.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
            throw new IllegalStateException("HAProxy's 'show stat' answered: " + firstLine(answer));
        }
        List<String> columns = List.of(lines.get(0).substring(2).split(",", -1));
        Map<String, ColourStats> stats = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            long failed = number(columns, values, "econ") + number(columns, values, "eresp");
            long answered = 0;
            for (String status : ANSWERS) {
                answered += number(columns, values, status);
            }
            stats.put(values[columns.indexOf("svname")], new ColourStats(
                    answered + failed,
                    number(columns, values, "econ") + number(columns, values, "eresp") + number(columns, values, "hrsp_5xx"),
                    number(columns, values, "scur"),
                    number(columns, values, "rtime"),
                    number(columns, values, "cli_abrt")));
        }
        return stats;
    }

    private static long number(List<String> columns, String[] values, String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalStateException("HAProxy's 'show stat' has no column " + column);
        }
        // HAProxy leaves a counter empty where it does not apply.
        return i >= values.length || values[i].isEmpty() ? 0 : Long.parseLong(values[i]);
    }

    static String firstLine(String answer) {
        String line = answer.lines().findFirst().orElse("").trim();
        return line.isEmpty() ? "(nothing)" : line;
    }
}
