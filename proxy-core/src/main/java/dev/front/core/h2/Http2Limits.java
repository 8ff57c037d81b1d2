package dev.front.core.h2;

import dev.front.core.http.RequestChecks;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import java.time.Duration;

/**
 * The HTTP/2 connection's settings and its defences, in one place:
 * <ul>
 *   <li>{@value #MAX_CONCURRENT_STREAMS} concurrent streams, advertised; a stream opened past them is refused with
 *       RST_STREAM REFUSED_STREAM (Netty enforces it from the first frame, not only after the client's ACK)</li>
 *   <li>a header list of at most {@link RequestChecks#MAX_HEAD_SIZE}, the HTTP/1.1 head's limit: past it the stream
 *       gets 431, and far past it (Netty's margin) the connection ends</li>
 *   <li>each stream may send {@value #STREAM_WINDOW} bytes of body ahead, and the connection about twice that
 *       across its streams (Netty's frame codec opens the connection window to 65535 + 2 x (stream window - 65535)):
 *       one upload can fill a link with a 1 MiB bandwidth-delay product (80 Mbit/s at 100 ms, 1 Gbit/s at 8 ms),
 *       and a connection never holds more than the connection window of bodies its routers have not read yet</li>
 *   <li>rapid reset (CVE-2023-44487): more than {@value #MAX_RST_FRAMES} RST_STREAMs from the client in
 *       {@value #RST_WINDOW_SECONDS} s end the connection with GOAWAY</li>
 *   <li>CONTINUATION floods: a header block is bounded by the header list limit, and more than Netty's 16 small
 *       CONTINUATION frames in one block end the connection with GOAWAY</li>
 *   <li>no extended CONNECT (RFC 8441): SETTINGS_ENABLE_CONNECT_PROTOCOL is never sent, so WebSocket over HTTP/2 is
 *       not offered</li>
 * </ul>
 */
public final class Http2Limits {

    public static final int MAX_CONCURRENT_STREAMS = 100;
    public static final int STREAM_WINDOW = 1024 * 1024;
    static final int MAX_RST_FRAMES = 200;
    static final int RST_WINDOW_SECONDS = 30;

    private Http2Limits() {
    }

    /** A new frame codec for one connection; {@code gracefulTimeout} bounds how long a GOAWAY waits for streams. */
    public static Http2FrameCodec frameCodec(Duration gracefulTimeout) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .initialWindowSize(STREAM_WINDOW)
                .maxHeaderListSize(RequestChecks.MAX_HEAD_SIZE);
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                .gracefulShutdownTimeoutMillis(gracefulTimeout.toMillis())
                .build();
    }
}
