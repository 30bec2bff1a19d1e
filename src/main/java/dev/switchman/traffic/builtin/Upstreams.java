package dev.switchman.traffic.builtin;

import dev.switchman.model.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The upstream connections of one event loop, by endpoint: a request takes the idle one used last, or connects, and
 * gives it back once its response ended in full. As many connections as requests in flight, at most
 * {@link #MAX_IDLE} idle per endpoint, each closed after {@link #KEEP_ALIVE_MILLIS} idle. A connection lives on the
 * event loop of the client connections it serves, so a request never changes threads. Event loop only.
 */
final class Upstreams {

    static final int MAX_IDLE = 256;
    static final long KEEP_ALIVE_MILLIS = 30_000;
    private static final long EVICT_EVERY_MILLIS = 5_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** A request waiting for a new connection. */
    interface Waiter {
        void connected(Upstream upstream);

        void connectFailed(Throwable failure);
    }

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Map<Endpoint, ArrayDeque<Upstream>> idle = new HashMap<>();
    /** Every connection open, to close them all with the router. */
    private final ChannelGroup open;
    private final ScheduledFuture<?> evictor;

    /** Connections on {@code loop}, made by {@code channels}, the names resolved by {@code resolver} (never blocking). */
    Upstreams(EventLoop loop, ChannelFactory<? extends Channel> channels, AddressResolverGroup<InetSocketAddress> resolver) {
        this.loop = loop;
        this.open = new DefaultChannelGroup(loop);
        this.bootstrap = new Bootstrap().group(loop).channelFactory(channels).resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast("http", new HttpClientCodec());
                    }
                });
        this.evictor = loop.scheduleAtFixedRate(this::evict, EVICT_EVERY_MILLIS, EVICT_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** An idle connection to {@code endpoint} (the one used last, warm in every cache), or null. */
    Upstream idle(Endpoint endpoint) {
        ArrayDeque<Upstream> free = idle.get(endpoint);
        if (free != null) {
            Upstream u;
            while ((u = free.pollLast()) != null) {
                if (u.channel.isActive()) {
                    u.reused = true;
                    return u;
                }
            }
        }
        return null;
    }

    /** Connects to {@code endpoint}, telling {@code waiter} on this event loop. */
    void connect(Endpoint endpoint, Waiter waiter) {
        ChannelFuture connecting;
        try {
            connecting = bootstrap.connect(endpoint.host(), endpoint.port());
        } catch (RuntimeException closing) {
            waiter.connectFailed(closing); // the router is closing: its event loops take no new connections
            return;
        }
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                waiter.connectFailed(f.cause());
                return;
            }
            Upstream upstream = new Upstream(f.channel(), endpoint);
            f.channel().pipeline().addLast("upstream", upstream);
            open.add(f.channel());
            waiter.connected(upstream);
        });
    }

    /** Gives back a connection whose request and response both ended in full. */
    void release(Upstream u) {
        u.listen(null);
        if (!u.channel.isActive()) {
            return;
        }
        ArrayDeque<Upstream> free = idle.computeIfAbsent(u.endpoint, e -> new ArrayDeque<>());
        if (free.size() >= MAX_IDLE) {
            u.channel.close();
            return;
        }
        u.idleSince = System.nanoTime();
        free.addLast(u);
    }

    /** Stops evicting and closes every connection; on any thread. */
    void close() {
        evictor.cancel(false);
        loop.execute(idle::clear);
        open.close();
    }

    private void evict() {
        long now = System.nanoTime();
        for (ArrayDeque<Upstream> free : idle.values()) {
            // Oldest first: the deque is taken from its end, so its head has waited longest.
            Upstream u;
            while ((u = free.peekFirst()) != null
                    && (!u.channel.isActive() || now - u.idleSince > KEEP_ALIVE_MILLIS * 1_000_000)) {
                free.pollFirst();
                u.channel.close();
            }
        }
    }
}
