package dev.front.launcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RestartPolicyTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofMinutes(5);

    private final RestartPolicy policy = new RestartPolicy();

    @Test
    void failedStartsBackOffOneTwoThreeSecondsThenGiveUp() {
        assertThat(policy.onExit(1, SHORT, false)).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(1), 1, 3));
        assertThat(policy.onExit(1, SHORT, false)).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(2), 2, 3));
        assertThat(policy.onExit(137, SHORT, true)).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(3), 3, 3));
        assertThat(policy.onExit(1, SHORT, false)).isInstanceOf(RestartPolicy.GiveUp.class);
    }

    @Test
    void aReadyChildThatDiesWithinTheStartWindowHasNotStartedWell() {
        policy.onExit(1, LONG, true);
        assertThat(policy.onExit(1, Duration.ofMillis(999), true))
                .isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(2), 2, 3));
    }

    @Test
    void aChildThatNeverBecameReadyHasNotStartedWellHoweverLongItRan() {
        policy.onExit(1, LONG, false);
        assertThat(policy.onExit(1, LONG, false)).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(2), 2, 3));
    }

    @Test
    void aGoodRunResetsTheCount() {
        policy.onExit(1, SHORT, false);
        policy.onExit(1, SHORT, false);
        policy.onExit(1, SHORT, false);
        assertThat(policy.onExit(139, LONG, true)).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(1), 1, 3));
    }

    @Test
    void neverRestartsOnGunicornBootAndLoadErrorsNorOnACleanExit() {
        assertThat(policy.onExit(3, LONG, true)).isInstanceOfSatisfying(RestartPolicy.GiveUp.class,
                g -> assertThat(g.reason()).contains("gunicorn"));
        assertThat(policy.onExit(4, SHORT, false)).isInstanceOf(RestartPolicy.GiveUp.class);
        assertThat(policy.onExit(0, LONG, true)).isInstanceOf(RestartPolicy.GiveUp.class);
    }
}
