package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildGateTest {

    @Test
    void waitersResumeWhenTheGateOpensAndNotBefore() {
        ChildGate gate = new ChildGate(false);
        List<String> resumed = new ArrayList<>();
        gate.whenOpen(ImmediateEventExecutor.INSTANCE, () -> resumed.add("a"));
        gate.whenOpen(ImmediateEventExecutor.INSTANCE, () -> resumed.add("b"));
        assertThat(resumed).isEmpty();
        gate.open();
        assertThat(resumed).containsExactly("a", "b");
        gate.whenOpen(ImmediateEventExecutor.INSTANCE, () -> resumed.add("c"));
        assertThat(resumed).containsExactly("a", "b", "c");
        gate.close();
        gate.whenOpen(ImmediateEventExecutor.INSTANCE, () -> resumed.add("d"));
        assertThat(resumed).hasSize(3);
        assertThat(gate.isOpen()).isFalse();
    }
}
