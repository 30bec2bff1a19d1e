package dev.switchman.gate;

/** A gate's verdict that the release must not go on: the message is the reason recorded and shown. */
public class GateFailure extends RuntimeException {
    public GateFailure(String reason) {
        super(reason);
    }
}
