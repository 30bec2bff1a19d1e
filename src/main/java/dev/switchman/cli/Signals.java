package dev.switchman.cli;

import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM while a command changes a release: a cancelled CD job sends SIGINT, then SIGTERM, then
 * SIGKILL a few seconds later. Instead of the JVM's default (exit at once, 130/143, the release left RUNNING),
 * each signal is handed to the command, which stops the release in order. SIGKILL cannot be caught: that case
 * stays with {@code switchman rollback}.
 */
final class Signals implements AutoCloseable {
    private static final List<String> CANCEL = List.of("INT", "TERM");

    private final List<Installed> previous;

    private record Installed(Signal signal, SignalHandler handler) {}

    private Signals(List<Installed> previous) {
        this.previous = previous;
    }

    /** Until closed, calls {@code onSignal} with the signal's name ({@code SIGTERM}) on each INT or TERM. */
    static Signals handle(Consumer<String> onSignal) {
        List<Installed> previous = CANCEL.stream().map(name -> {
            Signal signal = new Signal(name);
            return new Installed(signal, Signal.handle(signal, s -> onSignal.accept("SIG" + s.getName())));
        }).toList();
        return new Signals(previous);
    }

    @Override
    public void close() {
        previous.forEach(p -> Signal.handle(p.signal(), p.handler()));
    }
}
