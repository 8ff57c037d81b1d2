package dev.front.core.connection;

/**
 * The user event fired down every client connection's pipeline when the front stops accepting: an idle connection
 * closes at once, a busy one after its current response, a WebSocket tunnel at once.
 */
public final class Drain {

    public static final Object EVENT = new Drain();

    private Drain() {
    }

    @Override
    public String toString() {
        return "Drain.EVENT";
    }
}
