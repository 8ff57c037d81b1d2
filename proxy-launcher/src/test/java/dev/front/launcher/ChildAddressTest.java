package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChildAddressTest {

    @Test
    void aPickedPortStillListenedOnIsReplacedByAFreeOne() throws Exception {
        try (ServerSocket leaked = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ChildAddress.LoopbackPort held = new ChildAddress.LoopbackPort(leaked.getLocalPort(), true);
            assertThat(held.bindable()).isFalse();
            ChildAddress next = held.forRestart();
            assertThat(next).isInstanceOf(ChildAddress.LoopbackPort.class).isNotEqualTo(held);
            ChildAddress.LoopbackPort port = (ChildAddress.LoopbackPort) next;
            assertThat(port.port()).isNotEqualTo(leaked.getLocalPort());
            assertThat(port.movable()).isTrue(); // picked by the front again: may move again
            assertThat(port.bindable()).isTrue();
        }
    }

    @Test
    void aPickedPortThatIsFreeIsKept() throws Exception {
        ChildAddress.LoopbackPort free = ChildAddress.LoopbackPort.free();
        assertThat(free.movable()).isTrue();
        assertThat(free.forRestart()).isSameAs(free);
    }

    @Test
    void connectionsLeftInTimeWaitDoNotMoveThePort() throws Exception {
        // the crashed child's connections may outlive it in TIME_WAIT; the restarted server binds with SO_REUSEADDR
        ChildAddress.LoopbackPort port;
        try (ServerSocket child = new ServerSocket()) {
            child.setReuseAddress(true);
            child.bind(ChildAddress.LoopbackPort.free().probe(), 1);
            port = new ChildAddress.LoopbackPort(child.getLocalPort(), true);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), child.getLocalPort());
                 Socket accepted = child.accept()) {
                accepted.close(); // the child's side closes first: its end of the connection waits in TIME_WAIT
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
        }
        assertThat(port.forRestart()).isSameAs(port);
    }

    @Test
    void anApplicationPortIsNeverMovedEvenWhenHeld() throws Exception {
        try (ServerSocket leaked = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ChildAddress.LoopbackPort given = ChildAddress.LoopbackPort.given(leaked.getLocalPort());
            assertThat(given.movable()).isFalse();
            assertThat(given.forRestart()).isSameAs(given);
        }
    }

    @Test
    void aPortIsSubstitutedInEveryArgument() {
        assertThat(ChildAddress.LoopbackPort.given(8123).substitute(java.util.List.of("-b", "127.0.0.1:{port}",
                "--port={port}"))).containsExactly("-b", "127.0.0.1:8123", "--port=8123");
    }
}
