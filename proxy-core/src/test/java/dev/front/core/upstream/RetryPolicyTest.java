package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void anIdempotentRequestIsRetriedOnceAfterADeadKeptConnectionAndOnceAfterAResetFreshOne() {
        RetryPolicy retries = new RetryPolicy(HttpMethod.GET);
        assertThat(retries.retried()).isFalse();
        assertThat(retries.mayRetry(true, false)).isTrue();
        assertThat(retries.retried()).isTrue();
        assertThat(retries.mayRetry(true, false)).isFalse();
        assertThat(retries.mayRetry(false, false)).isTrue();
        assertThat(retries.mayRetry(false, false)).isFalse();
    }

    @Test
    void aPostIsResentOnlyWhenItNeverLeft() {
        RetryPolicy sentAndLost = new RetryPolicy(HttpMethod.POST);
        assertThat(sentAndLost.mayRetry(true, false)).isFalse();
        assertThat(sentAndLost.mayRetry(false, false)).isFalse();
        assertThat(sentAndLost.retried()).isFalse();
        RetryPolicy neverLeft = new RetryPolicy(HttpMethod.POST);
        assertThat(neverLeft.mayRetry(true, true)).isTrue();
        assertThat(neverLeft.mayRetry(true, true)).isFalse();
        assertThat(neverLeft.mayRetry(false, false)).isFalse();
    }

    @Test
    void idempotentMethodsAreThoseOfRfc9110() {
        for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
                HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE}) {
            assertThat(new RetryPolicy(method).mayRetry(false, false)).as(method.name()).isTrue();
        }
        assertThat(new RetryPolicy(HttpMethod.PATCH).mayRetry(false, false)).isFalse();
    }
}
