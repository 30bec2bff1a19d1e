package dev.switchman.traffic.builtin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public port, on Netty directly: each client connection decoded by Netty's HTTP/1 codec (over TLS when
 * {@code router.tls} is set) and proxied by a {@link Front}, on Vert.x's own event loops, with the upstream
 * connections of each loop ({@link Upstreams}). HTTP/1.1 only: a client asking to upgrade to cleartext HTTP/2 is
 * answered in HTTP/1.1, as nginx does.
 */
final class PublicPort {

    /**
     * The event loops serving the public port. One, as nginx with one worker: on two cores shared with the load
     * generator and the upstream, all of Vert.x's loops cost more CPU per request in docs/bench/routers.sh at 8 and
     * 64 connections (30 and 26 µs against 21-23 with one), about the same at 256 (30 against 32), for no throughput
     * gain beyond the noise. More than one spreads the connections over all of Vert.x's event loops.
     */
    static final int EVENT_LOOPS = 1;
    /** How often a close looks whether the connections being answered are done. */
    private static final long CLOSE_POLL_MILLIS = 20;

    private final Vertx vertx;
    private final ProxyRouting routing;
    private final String scheme;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Map<EventLoop, Upstreams> upstreams = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private Channel server;

    private PublicPort(Vertx vertx, ProxyRouting routing, boolean tls) {
        this.vertx = vertx;
        this.routing = routing;
        this.scheme = tls ? "https" : "http";
    }

    /** Listens on {@code host:port} (0: any free port), serving HTTPS with {@code tls} unless it is null. */
    static Future<PublicPort> bind(Vertx vertx, ProxyRouting routing, String host, int port, SslContext tls) {
        PublicPort pub = new PublicPort(vertx, routing, tls != null);
        VertxInternal internal = (VertxInternal) vertx;
        EventLoopGroup all = internal.nettyEventLoopGroup();
        EventLoopGroup loops = EVENT_LOOPS == 1 ? all.next() : all;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.next(), loops)
                .channelFactory(internal.transport().serverChannelFactory(false))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tls != null) {
                            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
                        }
                        channel.pipeline().addLast("http", new HttpServerCodec()).addLast("proxy", new Front(pub));
                    }
                });
        Promise<PublicPort> bound = Promise.promise();
        bootstrap.bind(host, port).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                pub.server = f.channel();
                bound.complete(pub);
            } else {
                bound.fail(f.cause());
            }
        });
        return bound.future();
    }

    /** The port actually bound. */
    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    ProxyRouting routing() {
        return routing;
    }

    ForwardedHeaders forwarded() {
        return routing.forwarded();
    }

    /** The scheme clients reach the port by: http or https. */
    String scheme() {
        return scheme;
    }

    /** Whether it is closing: a connection closes once its response ended. */
    boolean closing() {
        return closing;
    }

    /** The upstream connections of {@code loop}, made on it the first time. */
    Upstreams upstreams(EventLoop loop) {
        Upstreams u = upstreams.get(loop);
        if (u == null) {
            VertxInternal internal = (VertxInternal) vertx;
            u = upstreams.computeIfAbsent(loop, l -> new Upstreams(l, internal.transport().channelFactory(false),
                    internal.nameResolver().nettyAddressResolverGroup()));
        }
        return u;
    }

    void opened(Channel client) {
        clients.add(client);
        if (closing) {
            client.close();
        }
    }

    void closed(Channel client) {
        clients.remove(client);
    }

    /**
     * Stops accepting and closes the idle connections at once; those answering a request close once it was answered,
     * or after {@code grace} at the latest. Then the upstream connections close.
     */
    Future<Void> close(Duration grace) {
        closing = true;
        Promise<Void> closed = Promise.promise();
        Channel listening = server;
        if (listening == null) {
            return Future.succeededFuture();
        }
        listening.close().addListener(f -> {
            for (Channel client : clients) {
                client.eventLoop().execute(() -> {
                    Front front = client.pipeline().get(Front.class);
                    if (front == null || !front.busy()) {
                        client.close();
                    }
                });
            }
            long deadline = System.nanoTime() + grace.toNanos();
            vertx.setPeriodic(1, CLOSE_POLL_MILLIS, timer -> {
                if (clients.isEmpty() || System.nanoTime() - deadline >= 0) {
                    vertx.cancelTimer(timer);
                    clients.close().addListener(all -> {
                        upstreams.values().forEach(Upstreams::close);
                        closed.complete();
                    });
                }
            });
        });
        return closed.future();
    }
}
