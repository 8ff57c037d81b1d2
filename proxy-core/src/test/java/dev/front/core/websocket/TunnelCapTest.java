package dev.front.core.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TunnelCapTest {

    @Test
    void refusesBeyondTheCapacityAndTakesAPlaceBackOnlyOnce() {
        TunnelCap cap = new TunnelCap(2);
        TunnelCap.Permit a = cap.tryAcquire();
        TunnelCap.Permit b = cap.tryAcquire();
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        assertThat(cap.tryAcquire()).isNull();
        a.release();
        a.release(); // a second release (two paths ending one tunnel) must not free b's place
        assertThat(cap.open()).isEqualTo(1);
        assertThat(cap.tryAcquire()).isNotNull();
        assertThat(cap.tryAcquire()).isNull();
    }

    @Test
    void aCapIsAlwaysAtLeastOne() {
        assertThatThrownBy(() -> new TunnelCap(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
