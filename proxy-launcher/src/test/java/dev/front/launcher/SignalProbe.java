package dev.front.launcher;

import java.util.Optional;

/** Run in its own JVM by {@link SignalRelayTest}: installs the relay and exits, leaving its warnings on stderr. */
public final class SignalProbe {

    private SignalProbe() {
    }

    public static void main(String[] args) {
        SignalRelay relay = SignalRelay.install(Optional::empty, new SignalRelay.Listener() {
            @Override
            public void shutdownRequested(int signal) {
            }

            @Override
            public void childStateChanged() {
            }
        }, Posix.SIGTERM, System.err);
        relay.close();
    }
}
