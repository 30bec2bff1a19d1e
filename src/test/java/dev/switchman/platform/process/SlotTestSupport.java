package dev.switchman.platform.process;

import static dev.switchman.support.Futures.await;

import dev.switchman.platform.SlotServer;
import dev.switchman.support.Ports;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What the process platform's tests share: one Vert.x, and per test a directory, the slot server's script, two free ports. */
abstract class SlotTestSupport {
    protected static Vertx vertx;

    @TempDir
    protected Path dir;
    protected Path script;
    protected int bluePort;
    protected int greenPort;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @BeforeEach
    void slotServerAndPorts() throws IOException {
        script = SlotServer.write(dir);
        bluePort = Ports.free();
        do {
            greenPort = Ports.free();
        } while (greenPort == bluePort);
    }
}
