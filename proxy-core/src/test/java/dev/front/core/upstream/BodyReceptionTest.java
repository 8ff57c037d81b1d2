package dev.front.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.ForwardedConfig;
import dev.front.config.ForwardingConfig;
import dev.front.config.IoTransport;
import dev.front.config.Limits;
import dev.front.core.http.Failure;
import dev.front.core.observe.PrometheusMetrics;
import dev.front.core.transport.Transport;
import dev.front.core.trust.ProxyHeaderPolicy;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BodyReceptionTest {

    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(5);

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
    private final ForwardingService service = service(10);
    private RequestBody whole;
    private Failure refused;
    private int reads;

    @AfterEach
    void release() {
        if (whole != null) {
            whole.release();
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void theBodyIsHandedOverWholeAndEachPieceIsAskedForWhenTheLastIsStored() {
        BodyReception reception = reception(post(HttpVersion.HTTP_1_1));
        reception.begin();
        assertThat(reads).isEqualTo(1);
        reception.content(new DefaultHttpContent(bytes("hello")));
        channel.runPendingTasks();
        assertThat(reads).isEqualTo(2);
        reception.content(new DefaultLastHttpContent(bytes("!!")));
        channel.runPendingTasks();
        assertThat(refused).isNull();
        assertThat(whole).isNotNull();
        assertThat(whole.length()).isEqualTo(7);
        assertThat(reads).isEqualTo(2);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeAnyOfTheBodyIsRead() {
        HttpRequest request = post(HttpVersion.HTTP_1_1);
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 11);
        request.headers().set(HttpHeaderNames.EXPECT, "100-continue");
        reception(request).begin();
        assertThat(refused.status().code()).isEqualTo(413);
        assertThat(reads).isZero();
        assertThat((Object) channel.readOutbound()).isNull(); // no 100 Continue for a body that will be refused
    }

    @Test
    void aBodyThatGrowsPastTheLimitIsRefusedAndWhatCameIsFreed() {
        BodyReception reception = reception(post(HttpVersion.HTTP_1_1));
        reception.begin();
        reception.content(new DefaultHttpContent(bytes("0123456789")));
        channel.runPendingTasks();
        DefaultHttpContent past = new DefaultHttpContent(bytes("x"));
        reception.content(past);
        assertThat(refused.status().code()).isEqualTo(413);
        assertThat(past.refCnt()).isZero();
        assertThat(whole).isNull();
        reception.stop();
    }

    @Test
    void expectContinueIsAnsweredOnHttp11AndIgnoredOnHttp10() {
        HttpRequest request = post(HttpVersion.HTTP_1_1);
        request.headers().set(HttpHeaderNames.EXPECT, "100-continue");
        reception(request).begin();
        HttpResponse continued = channel.readOutbound();
        assertThat(continued.status().code()).isEqualTo(100);

        HttpRequest old = post(HttpVersion.HTTP_1_0);
        old.headers().set(HttpHeaderNames.EXPECT, "100-continue");
        reception(old).begin();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(refused).isNull();
    }

    @Test
    void anExpectationOtherThanContinueIsRefusedWith417() {
        HttpRequest request = post(HttpVersion.HTTP_1_1);
        request.headers().set(HttpHeaderNames.EXPECT, "something-else");
        reception(request).begin();
        assertThat(refused.status().code()).isEqualTo(417);
    }

    @Test
    void aPieceThatDoesNotComeWithinTheBodyTimeoutIsRefusedWith408AndLaterPiecesAreFreed() {
        BodyReception reception = reception(post(HttpVersion.HTTP_1_1));
        reception.begin();
        channel.advanceTimeBy(BODY_TIMEOUT.toMillis() - 100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(refused).isNull();
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(refused.status().code()).isEqualTo(408);
        LastHttpContent late = new DefaultLastHttpContent(bytes("late"));
        reception.content(late);
        assertThat(late.refCnt()).isZero();
        assertThat(whole).isNull();
        reception.stop();
    }

    private BodyReception reception(HttpRequest request) {
        return new BodyReception(ctx, request, service, () -> reads++, new BodyReception.Outcome() {
            @Override
            public void whole(RequestBody body) {
                whole = body;
            }

            @Override
            public void refused(Failure failure) {
                refused = failure;
            }
        });
    }

    private static HttpRequest post(HttpVersion version) {
        return new DefaultHttpRequest(version, HttpMethod.POST, "/upload");
    }

    private static io.netty.buffer.ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private static ForwardingService service(long limitRequestBody) {
        Limits defaults = Limits.defaults();
        Limits limits = new Limits(limitRequestBody, defaults.headerTimeout(), BODY_TIMEOUT, defaults.socketTimeout(),
                defaults.keepAliveTimeout(), defaults.startupTimeout(), defaults.queueTimeout(),
                defaults.requestTimeout(), defaults.gracefulTimeout());
        return new ForwardingService(Transport.of(IoTransport.NIO), new InetSocketAddress("127.0.0.1", 9),
                new ProxyHeaderPolicy(ForwardedConfig.defaults()), limits, ForwardingConfig.defaults(),
                ChildGate.alwaysOpen(), false, 8080, new PrometheusMetrics());
    }
}
