package dev.switchman.traffic.builtin;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HTTPS on the public port ({@code router.tls}): the certificate and key are read and parsed before any port is
 * bound, so a router given files it cannot use refuses to start, naming them, instead of failing each handshake.
 * HTTP/1.1 only, as over plain HTTP: no ALPN, so no HTTP/2.
 */
final class PublicTls {

    private final SslContext context;

    private PublicTls(SslContext context) {
        this.context = context;
    }

    /** The HTTPS of {@code tls}, or null for plain HTTP. Blocking: reads the files. */
    static PublicTls load(Vertx vertx, RouterTls tls) {
        if (tls == null) {
            return null;
        }
        PemKeyCertOptions keyCert = new PemKeyCertOptions()
                .setCertValue(read("router.tls.certificate", tls.certificate()))
                .setKeyValue(read("router.tls.key", tls.key()));
        try {
            return new PublicTls(SslContextBuilder.forServer(keyCert.getKeyManagerFactory(vertx))
                    .sslProvider(SslProvider.JDK).build());
        } catch (Exception e) {
            // The cause says what is wrong with the PEM, never the key's content.
            throw new IllegalStateException("router.tls: cannot serve HTTPS with router.tls.certificate " + tls.certificate()
                    + " and router.tls.key " + tls.key() + " (" + e.getMessage() + "): give a PEM certificate"
                    + " (-----BEGIN CERTIFICATE-----, the server's first, then its intermediates) and its PEM private"
                    + " key, unencrypted (-----BEGIN PRIVATE KEY-----, or RSA / EC PRIVATE KEY)", e);
        }
    }

    /** The TLS the public port's connections are served with (no ALPN). */
    SslContext context() {
        return context;
    }

    private static Buffer read(String key, String path) {
        try {
            return Buffer.buffer(Files.readAllBytes(Path.of(path)));
        } catch (IOException e) {
            throw new IllegalStateException(key + ": cannot read " + path + " (" + e + "): fix " + key
                    + " or the file's permissions", e);
        }
    }
}
