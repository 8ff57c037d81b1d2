package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrencyLimiterTest {

    private final List<String> granted = new ArrayList<>();

    private ConcurrencyLimiter.Ticket acquire(ConcurrencyLimiter limiter, String name) {
        return limiter.acquire(ImmediateEventExecutor.INSTANCE, () -> granted.add(name));
    }

    @Test
    void grantsUpToTheCapacityThenQueuesInArrivalOrder() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2);
        ConcurrencyLimiter.Ticket a = acquire(limiter, "a");
        acquire(limiter, "b");
        acquire(limiter, "c");
        acquire(limiter, "d");
        assertThat(granted).containsExactly("a", "b");
        assertThat(limiter.waiting()).isEqualTo(2);
        a.release();
        assertThat(granted).containsExactly("a", "b", "c");
        assertThat(limiter.inUse()).isEqualTo(2);
    }

    @Test
    void saturationIsSlotsInUsePlusWaitersPerSlot() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2);
        assertThat(limiter.saturation()).isZero();
        ConcurrencyLimiter.Ticket a = acquire(limiter, "a");
        assertThat(limiter.saturation()).isEqualTo(0.5);
        ConcurrencyLimiter.Ticket b = acquire(limiter, "b");
        ConcurrencyLimiter.Ticket c = acquire(limiter, "c");
        assertThat(limiter.saturation()).isEqualTo(1.5);
        a.release();
        b.release();
        c.release();
        assertThat(limiter.saturation()).isZero();

        ConcurrencyLimiter uncapped = new ConcurrencyLimiter(0);
        acquire(uncapped, "x");
        acquire(uncapped, "y");
        acquire(uncapped, "z");
        assertThat(uncapped.saturation()).as("no cap: the requests in flight").isEqualTo(3);
    }

    @Test
    void aWaiterThatGivesUpLeavesTheQueueAndTakesNoSlot() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1);
        ConcurrencyLimiter.Ticket a = acquire(limiter, "a");
        ConcurrencyLimiter.Ticket b = acquire(limiter, "b");
        acquire(limiter, "c");
        b.release(); // timed out in the queue
        a.release();
        a.release(); // idempotent: must not free a second slot
        assertThat(granted).containsExactly("a", "c");
        assertThat(limiter.inUse()).isEqualTo(1);
        assertThat(limiter.waiting()).isZero();
    }

    @Test
    void newcomersDoNotOvertakeTheQueue() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1);
        ConcurrencyLimiter.Ticket a = acquire(limiter, "a");
        acquire(limiter, "b");
        a.release();
        acquire(limiter, "c");
        assertThat(granted).containsExactly("a", "b");
        assertThat(limiter.waiting()).isEqualTo(1);
    }

    @Test
    void zeroMeansNoCap() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(0);
        for (int i = 0; i < 1000; i++) {
            acquire(limiter, "r" + i);
        }
        assertThat(granted).hasSize(1000);
        assertThat(limiter.waiting()).isZero();
    }
}
