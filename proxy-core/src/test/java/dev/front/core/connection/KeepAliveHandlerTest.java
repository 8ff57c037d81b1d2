package dev.front.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KeepAliveHandlerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new KeepAliveHandler());

    private static HttpRequest request(HttpVersion version, HttpMethod method) {
        return new DefaultHttpRequest(version, method, "/x");
    }

    private static HttpResponse response(HttpResponseStatus status) {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    }

    private static HttpResponse withLength(HttpResponseStatus status, int length) {
        HttpResponse response = response(status);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        return response;
    }

    /** Delivers the request, answers it with {@code response} and its end, and returns the head as written. */
    private HttpResponse exchange(HttpRequest request, HttpResponse response) {
        channel.writeInbound(request);
        assertThat((Object) channel.readInbound()).isSameAs(request);
        channel.writeAndFlush(response);
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        channel.runPendingTasks();
        HttpResponse written = channel.readOutbound();
        ReferenceCountUtil.release(channel.readOutbound());
        return written;
    }

    @Test
    void notModifiedWithoutLengthKeepsTheConnection() {
        HttpResponse written = exchange(request(HttpVersion.HTTP_1_1, HttpMethod.GET), response(HttpResponseStatus.NOT_MODIFIED));
        assertThat(written.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
        assertThat(channel.isOpen()).isTrue();
        // and the connection goes on serving
        exchange(request(HttpVersion.HTTP_1_1, HttpMethod.GET), withLength(HttpResponseStatus.OK, 3));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void noContentAndHeadAnswersWithoutLengthKeepTheConnection() {
        exchange(request(HttpVersion.HTTP_1_1, HttpMethod.DELETE), response(HttpResponseStatus.NO_CONTENT));
        assertThat(channel.isOpen()).isTrue();
        exchange(request(HttpVersion.HTTP_1_1, HttpMethod.HEAD), response(HttpResponseStatus.OK));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void getAnsweredWithoutAnyFramingClosesAndSaysSo() {
        HttpResponse written = exchange(request(HttpVersion.HTTP_1_1, HttpMethod.GET), response(HttpResponseStatus.OK));
        assertThat(written.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void chunkedResponseKeepsTheConnection() {
        HttpResponse chunked = response(HttpResponseStatus.OK);
        chunked.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        exchange(request(HttpVersion.HTTP_1_1, HttpMethod.GET), chunked);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void clientAskingToCloseGetsItsAnswerThenTheClose() {
        HttpRequest request = request(HttpVersion.HTTP_1_1, HttpMethod.GET);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpResponse written = exchange(request, response(HttpResponseStatus.NOT_MODIFIED));
        assertThat(written.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http10WithoutKeepAliveCloses() {
        exchange(request(HttpVersion.HTTP_1_0, HttpMethod.GET), withLength(HttpResponseStatus.OK, 1));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http10AskingForKeepAliveIsToldSoAndKept() {
        HttpRequest request = request(HttpVersion.HTTP_1_0, HttpMethod.GET);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        HttpResponse written = exchange(request, withLength(HttpResponseStatus.OK, 1));
        assertThat(written.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("keep-alive");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void http10GetsNoChunkedCodingButABodyEndedByTheClose() {
        HttpRequest request = request(HttpVersion.HTTP_1_0, HttpMethod.GET);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        HttpResponse chunked = response(HttpResponseStatus.OK);
        chunked.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        HttpResponse written = exchange(request, chunked);
        assertThat(written.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)).isFalse();
        assertThat(written.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void responseAskingToCloseCloses() {
        HttpResponse closing = withLength(HttpResponseStatus.OK, 1);
        closing.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        exchange(request(HttpVersion.HTTP_1_1, HttpMethod.GET), closing);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void informationalResponseDoesNotAnswerTheRequest() {
        HttpRequest request = request(HttpVersion.HTTP_1_1, HttpMethod.HEAD);
        channel.writeInbound(request);
        channel.readInbound();
        channel.writeAndFlush(response(HttpResponseStatus.CONTINUE));
        // The final answer is still the HEAD's: no length needed, the connection stays.
        channel.writeAndFlush(response(HttpResponseStatus.OK));
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void pipelinedHeadThenGetEachJudgedByItsOwnMethod() {
        channel.writeInbound(request(HttpVersion.HTTP_1_1, HttpMethod.HEAD), request(HttpVersion.HTTP_1_1, HttpMethod.GET));
        channel.writeAndFlush(response(HttpResponseStatus.OK)); // answers the HEAD: no framing needed
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(channel.isOpen()).isTrue();
        channel.writeAndFlush(response(HttpResponseStatus.OK)); // answers the GET: unframed, so it must close
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }
}
