package dev.front.core.admin;

import dev.front.core.observe.PrometheusMetrics;
import dev.front.core.observe.ReloadOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.front.core.upstream.ChildGate;
import dev.front.core.upstream.UpstreamGeneration;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReloadRequestsTest {

    @Test
    void requestsMadeDuringAReplacementFoldIntoTheNextOne() {
        ReloadRequests reloads = new ReloadRequests();
        AtomicInteger woken = new AtomicInteger();
        reloads.onRequest(woken::incrementAndGet);
        CompletableFuture<ReloadOutcome> first = reloads.request("HUP");
        assertThat(woken).hasValue(1);
        ReloadRequests.Batch running = reloads.take();
        assertThat(reloads.isPending()).isFalse();
        CompletableFuture<ReloadOutcome> second = reloads.request("HUP");
        CompletableFuture<ReloadOutcome> third = reloads.request("POST /reload");
        running.complete(ReloadOutcome.replaced(1, 2, 300));
        assertThat(first).isCompletedWithValue(ReloadOutcome.replaced(1, 2, 300));
        assertThat(second).isNotDone();
        ReloadRequests.Batch next = reloads.take();
        assertThat(next.reasons()).containsExactlyInAnyOrder("HUP", "POST /reload");
        next.complete(ReloadOutcome.failed(2, 3, "probe", "GET / answered 500"));
        assertThat(second.join().toJson()).isEqualTo(third.join().toJson()).isEqualTo(
                "{\"result\":\"failed\",\"old_pid\":2,\"new_pid\":3,\"phase\":\"probe\",\"cause\":\"GET / answered 500\"}");
        assertThat(ReloadOutcome.replaced(1, 2, 300).toJson())
                .isEqualTo("{\"result\":\"replaced\",\"old_pid\":1,\"new_pid\":2,\"switch_ms\":300}");
    }

    @Test
    void aGenerationCountsItsRequestsAndKnowsWhenItIsIdle() throws Exception {
        UpstreamGeneration generation = new UpstreamGeneration(new InetSocketAddress("127.0.0.1", 1));
        AtomicInteger reached = new AtomicInteger();
        generation.whenRequests(3, reached::incrementAndGet);
        EmbeddedChannel busy = new EmbeddedChannel();
        generation.opened(busy);
        generation.requestSent();
        generation.requestSent();
        assertThat(reached).hasValue(0);
        generation.requestSent();
        generation.requestSent();
        assertThat(reached).as("once, at the third").hasValue(1);
        assertThat(generation.busy()).isEqualTo(1);
        assertThat(generation.awaitIdle(Duration.ofMillis(30))).isFalse();
        generation.parked(busy);
        assertThat(generation.awaitIdle(Duration.ZERO)).as("a parked connection carries no request").isTrue();
        generation.unparked(busy);
        assertThat(generation.busy()).isEqualTo(1);
        busy.close();
        assertThat(generation.awaitIdle(Duration.ZERO)).isTrue();
        generation.unparked(busy);
        assertThat(generation.busy()).as("a closed connection never counts again").isZero();
        generation.whenRequests(2, reached::incrementAndGet);
        assertThat(reached).as("a limit already passed runs at once").hasValue(2);
    }

    @Test
    void postReloadIsForLoopbackPeersOnlyAndAnsweredWithTheOutcome() {
        ReloadRequests reloads = new ReloadRequests();
        PrometheusMetrics metrics = new PrometheusMetrics();
        ReadyState ready = new ReadyState(ChildGate.alwaysOpen()::isOpen);

        EmbeddedChannel remote = channel(new AdminHandler(metrics, ready, reloads), "10.1.2.3");
        remote.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/reload"));
        assertThat(answer(remote)).isEqualTo("403 forbidden: POST /reload is accepted from loopback peers only\n");
        assertThat(reloads.isPending()).isFalse();

        EmbeddedChannel get = channel(new AdminHandler(metrics, ready, reloads), "127.0.0.1");
        get.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/reload"));
        assertThat(answer(get)).startsWith("405 ");

        EmbeddedChannel none = channel(new AdminHandler(metrics, ready, null), "127.0.0.1");
        none.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/reload"));
        assertThat(answer(none)).startsWith("409 nothing to reload");

        EmbeddedChannel local = channel(new AdminHandler(metrics, ready, reloads), "::1");
        local.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/reload"));
        local.runPendingTasks();
        assertThat((Object) local.readOutbound()).as("no answer before the outcome is known").isNull();
        reloads.take().complete(ReloadOutcome.replaced(7, 8, 250));
        local.runPendingTasks();
        assertThat(answer(local)).isEqualTo("200 {\"result\":\"replaced\",\"old_pid\":7,\"new_pid\":8,\"switch_ms\":250}\n");
    }

    private static String answer(EmbeddedChannel channel) {
        FullHttpResponse response = channel.readOutbound();
        try {
            return response.status().code() + " " + response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
            channel.finishAndReleaseAll();
        }
    }

    /** An embedded channel whose peer is {@code host}. */
    private static EmbeddedChannel channel(ChannelInboundHandlerAdapter handler, String host) {
        SocketAddress peer = new InetSocketAddress(host, 40000);
        return new EmbeddedChannel(handler) {
            @Override
            protected SocketAddress remoteAddress0() {
                return peer;
            }
        };
    }
}
