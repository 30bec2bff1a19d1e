package dev.switchman.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * {@code metrics}: where a release's own metrics go, since the process ends with it. {@code pushgateway}: a
 * Prometheus Pushgateway's base URL, pushed to under {@code /metrics/job/switchman/application/<application>};
 * {@code textfile}: a file for node_exporter's textfile collector (a {@code .prom} file, relative to the config
 * file's directory), replaced atomically; at least one of them. {@code timeout} bounds each push. No section: no
 * export.
 */
public record MetricsConfig(String pushgateway, String textfile, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public MetricsConfig {
        timeout = Durations.positive("metrics.timeout", timeout, DEFAULT_TIMEOUT);
        if (pushgateway == null && textfile == null) {
            throw new IllegalArgumentException("the metrics section needs pushgateway (a URL, e.g. http://pushgateway:9091)"
                    + " or textfile (a .prom file in node_exporter's textfile directory), or both; remove the section for"
                    + " no export");
        }
        if (pushgateway != null) {
            pushgateway = baseUrl(pushgateway);
        }
        if (textfile != null && (textfile.isBlank() || !textfile.endsWith(".prom"))) {
            throw new IllegalArgumentException("metrics.textfile must name a file ending in .prom (node_exporter's textfile"
                    + " collector reads only those), got '" + textfile + "'");
        }
    }

    /** The URL without a trailing slash; refused unless http(s) with a host, and never with credentials in it. */
    private static String baseUrl(String text) {
        String hint = "metrics.pushgateway must be the Pushgateway's base URL, e.g. http://pushgateway:9091";
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(hint + "; it does not parse as a URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException(hint + ", got '" + text + "'");
        }
        if (uri.getRawUserInfo() != null) {
            // Said without the URL: it holds the credentials.
            throw new IllegalArgumentException("metrics.pushgateway holds credentials (user:password@): they would show in"
                    + " logs; put the Pushgateway behind a URL that needs none");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(hint + ", without a query or fragment, got '" + text + "'");
        }
        String url = uri.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
