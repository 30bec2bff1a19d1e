package dev.switchman.gate;

/**
 * An undo that must stop the rollback where it is: what the undos before it would take away is what serves users
 * now (the new slot, when the live one died). The release ends ROLLBACK_FAILED: a person must act.
 */
public final class UndoHeld extends GateFailure {
    public UndoHeld(String reason) {
        super(reason);
    }
}
