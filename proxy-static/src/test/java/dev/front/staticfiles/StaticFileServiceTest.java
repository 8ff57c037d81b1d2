package dev.front.staticfiles;

import dev.front.config.Alias;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StaticFileServiceTest {

    private static final int BIG = 8 * 1024 * 1024;

    @TempDir
    Path root;
    byte[] big;
    HttpExchange http;

    @BeforeEach
    void setUp() throws Exception {
        big = new byte[BIG];
        new Random(42).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        Files.writeString(root.resolve("empty.txt"), "");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<p>docs</p>");
        Files.writeString(root.resolve(".env"), "SECRET=1");
        Files.writeString(root.resolve("app.js"), "console.log('identity');".repeat(20));
        Files.writeString(root.resolve("app.js.br"), "BROTLI");
        Files.writeString(root.resolve("app.js.gz"), "GZIP");
        Files.writeString(root.resolve("old.css"), "body{}");
        Files.writeString(root.resolve("old.css.gz"), "STALE");
        Instant now = Instant.now();
        Files.setLastModifiedTime(root.resolve("old.css.gz"), FileTime.from(now.minusSeconds(3600)));
        Files.setLastModifiedTime(root.resolve("old.css"), FileTime.from(now));
        http = exchange(new StaticFileService("index.html", Runnable::run));
    }

    private HttpExchange exchange(StaticFileService service) {
        return new HttpExchange(service, new Alias("/static", root));
    }

    private static String get(String target, String... headers) {
        return request("GET", target, headers);
    }

    private static String request(String method, String target, String... headers) {
        StringBuilder raw = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String header : headers) {
            raw.append(header).append("\r\n");
        }
        return raw.append("\r\n").toString();
    }

    @Test
    void largeFileGoesOutAsOneFileRegionNotThroughTheHeap() throws Exception {
        HttpExchange.Response response = http.single(get("/static/big.bin"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(BIG));
        assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(response.regions()).singleElement().isInstanceOf(DefaultFileRegion.class)
                .satisfies(r -> assertThat(r.count()).isEqualTo(BIG));
        assertThat(response.messageTypes()).allSatisfy(type -> assertThat(type).satisfiesAnyOf(
                t -> assertThat(t).isAssignableTo(DefaultFileRegion.class),
                t -> assertThat(t).isAssignableTo(io.netty.buffer.ByteBuf.class)));
        assertThat(response.body()).isEqualTo(big);
        assertThat(http.channel.isOpen()).isTrue();
    }

    @Test
    void getCarriesValidatorsAndCachingHeaders() throws Exception {
        HttpExchange.Response response = http.single(get("/static/hello.txt"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("hello, world\n");
        assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=60");
        assertThat(response.header("ETag")).matches("\"[0-9a-f]+-[0-9a-f]+\"");
        long modified = Files.getLastModifiedTime(root.resolve("hello.txt")).to(TimeUnit.SECONDS);
        assertThat(response.header("Last-Modified")).isEqualTo(HttpDates.format(modified));
        assertThat(response.header("Date")).matches("[A-Z][a-z]{2}, \\d{2} .* GMT");
        assertThat(response.header("Vary")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/hello.txt", "/static/big.bin", "/static/missing", "/static/docs", "/static/docs/",
            "/static/.env", "/static/app.js", "/static/empty.txt"})
    void headSendsExactlyTheHeadersOfGetAndNoBody(String target) throws Exception {
        HttpExchange.Response get = http.single(get(target, "Accept-Encoding: br"));
        HttpExchange.Response head = http.single(request("HEAD", target, "Accept-Encoding: br"));
        assertThat(head.status()).isEqualTo(get.status());
        Map<String, List<String>> getHeaders = new HashMap<>(get.headers());
        Map<String, List<String>> headHeaders = new HashMap<>(head.headers());
        getHeaders.remove("date");
        headHeaders.remove("date");
        assertThat(headHeaders).isEqualTo(getHeaders);
        assertThat(head.body()).isEmpty();
        assertThat(head.regions()).isEmpty();
        // nothing but the head went out: a following request parses cleanly on the same connection
        assertThat(http.single(get("/static/hello.txt")).text()).isEqualTo("hello, world\n");
    }

    @Test
    void otherMethodsAre405WithAllowAndKeepTheConnection() throws Exception {
        HttpExchange.Response response = http.single(request("DELETE", "/static/hello.txt"));
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(http.channel.isOpen()).isTrue();
        assertThat(http.single(get("/static/hello.txt")).status()).isEqualTo(200);
    }

    /**
     * Netty's HttpServerKeepAliveHandler closes the connection after a 304 without Content-Length (netty#10868), so
     * each conditional request that may give 304 goes on a connection of its own here.
     */
    private HttpExchange.Response fresh(String raw) throws Exception {
        return exchange(new StaticFileService("index.html", Runnable::run)).single(raw);
    }

    @Test
    void notModifiedCarriesOnlyCacheHeaders() throws Exception {
        String etag = http.single(get("/static/hello.txt")).header("ETag");
        HttpExchange.Response response = fresh(get("/static/hello.txt", "If-None-Match: \"other\", " + etag));
        assertThat(response.status()).isEqualTo(304);
        assertThat(response.header("ETag")).isEqualTo(etag);
        assertThat(response.header("Cache-Control")).isNotNull();
        assertThat(response.header("Date")).isNotNull();
        assertThat(response.headers()).doesNotContainKeys("content-length", "content-type", "last-modified");
        assertThat(http.single(get("/static/hello.txt", "If-Match: \"other\"")).status()).isEqualTo(412);
        String lastModified = http.single(get("/static/hello.txt")).header("Last-Modified");
        assertThat(fresh(get("/static/hello.txt", "If-Modified-Since: " + lastModified)).status()).isEqualTo(304);
    }

    @Test
    void singleRangeIs206WithContentRange() throws Exception {
        HttpExchange.Response response = http.single(get("/static/big.bin", "Range: bytes=1000-1999"));
        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("Content-Range")).isEqualTo("bytes 1000-1999/" + BIG);
        assertThat(response.header("Content-Length")).isEqualTo("1000");
        assertThat(response.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 1000, 2000));
        // a small slice is read and leaves with the head; one over 64 KiB goes out zero-copy
        assertThat(response.regions()).isEmpty();
        HttpExchange.Response large = http.single(get("/static/big.bin", "Range: bytes=1000-" + (1000 + 65536)));
        assertThat(large.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 1000, 1000 + 65537));
        assertThat(large.regions()).singleElement().isInstanceOf(DefaultFileRegion.class);
    }

    @Test
    void rangeIsIgnoredWhenIfRangeNoLongerHolds() throws Exception {
        HttpExchange.Response response = http.single(get("/static/hello.txt", "Range: bytes=0-4", "If-Range: \"stale\""));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("hello, world\n");
        String etag = http.single(get("/static/hello.txt")).header("ETag");
        assertThat(http.single(get("/static/hello.txt", "Range: bytes=0-4", "If-Range: " + etag)).text()).isEqualTo("hello");
    }

    @Test
    void severalRangesAreMultipartWithAnExactLength() throws Exception {
        HttpExchange.Response response = http.single(get("/static/hello.txt", "Range: bytes=0-4,7-11"));
        assertThat(response.status()).isEqualTo(206);
        String type = response.header("Content-Type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        // the parser took exactly Content-Length bytes and nothing was left over
        assertThat(response.body()).hasSize(Integer.parseInt(response.header("Content-Length")));
        assertThat(response.text()).isEqualTo("--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-4/13\r\n\r\nhello\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 7-11/13\r\n\r\nworld\r\n"
                + "--" + boundary + "--\r\n");
        assertThat(response.regions()).isEmpty(); // small slices are read, not sent as file regions
    }

    @Test
    void unsatisfiableRangeIs416WithTheLength() throws Exception {
        HttpExchange.Response response = http.single(get("/static/hello.txt", "Range: bytes=13-"));
        assertThat(response.status()).isEqualTo(416);
        assertThat(response.header("Content-Range")).isEqualTo("bytes */13");
        assertThat(http.single(get("/static/hello.txt", "Range: bytes=x-y")).status()).isEqualTo(200);
    }

    @Test
    void sidecarsAreChosenByAcceptEncodingAndVaryIsAlwaysSent() throws Exception {
        HttpExchange.Response identity = http.single(get("/static/app.js"));
        assertThat(identity.header("Content-Encoding")).isNull();
        assertThat(identity.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(identity.text()).startsWith("console.log");

        HttpExchange.Response br = http.single(get("/static/app.js", "Accept-Encoding: gzip, deflate, br"));
        assertThat(br.header("Content-Encoding")).isEqualTo("br");
        assertThat(br.text()).isEqualTo("BROTLI");
        assertThat(br.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(br.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(br.header("ETag")).endsWith("-br\"").isNotEqualTo(identity.header("ETag"));

        HttpExchange.Response gzip = http.single(get("/static/app.js", "Accept-Encoding: br;q=0, gzip"));
        assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gzip.text()).isEqualTo("GZIP");

        HttpExchange.Response notModified = fresh(get("/static/app.js", "Accept-Encoding: br",
                "If-None-Match: " + br.header("ETag")));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("Vary")).isEqualTo("Accept-Encoding");

        HttpExchange.Response range = http.single(get("/static/app.js", "Accept-Encoding: br", "Range: bytes=1-2"));
        assertThat(range.text()).isEqualTo("RO");
        assertThat(range.header("Content-Range")).isEqualTo("bytes 1-2/6");
    }

    @Test
    void aSidecarOlderThanItsOriginalIsIgnored() throws Exception {
        HttpExchange.Response response = http.single(get("/static/old.css", "Accept-Encoding: gzip"));
        assertThat(response.header("Content-Encoding")).isNull();
        assertThat(response.text()).isEqualTo("body{}");
        assertThat(response.header("Vary")).isNull();
    }

    @Test
    void http10GetsContentLengthAndACloseUnlessItAskedForKeepAlive() throws Exception {
        HttpExchange.Response kept = http.single("GET /static/hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertThat(kept.header("Connection")).isEqualToIgnoringCase("keep-alive");
        assertThat(kept.header("Content-Length")).isEqualTo("13");
        assertThat(http.channel.isOpen()).isTrue();

        HttpExchange.Response closed = http.single("GET /static/hello.txt HTTP/1.0\r\n\r\n");
        assertThat(closed.header("Content-Length")).isEqualTo("13");
        assertThat(closed.text()).isEqualTo("hello, world\n");
        http.channel.runPendingTasks();
        assertThat(http.channel.isOpen()).isFalse();
    }

    @Test
    void directoriesRedirectOrServeTheirIndex() throws Exception {
        HttpExchange.Response redirect = http.single(get("/static/docs?x=1"));
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("./docs/?x=1");
        assertThat(redirect.header("Content-Length")).isEqualTo("0");
        HttpExchange.Response index = http.single(get("/static/docs/"));
        assertThat(index.text()).isEqualTo("<p>docs</p>");
        assertThat(index.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(http.single(get("/static/.env")).status()).isEqualTo(404);
        assertThat(http.single(get("/static/hello.txt/")).status()).isEqualTo(404);
    }

    @Test
    void emptyFileHasNoBodyPart() throws Exception {
        HttpExchange.Response response = http.single(get("/static/empty.txt"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo("0");
        assertThat(response.regions()).isEmpty();
    }

    @Test
    void fifoIs404WithoutBeingOpened() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe.txt").toString()).start();
        assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();
        // opening a FIFO for reading blocks until a writer comes: a 404 within the timeout proves it was not opened
        assertThat(http.single(get("/static/pipe.txt")).status()).isEqualTo(404);
    }

    @Test
    void unreadableFileIs403() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file; PathResolverTest covers the mapping");
        Path locked = root.resolve("locked.txt");
        Files.writeString(locked, "x");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assertThat(http.single(get("/static/locked.txt")).status()).isEqualTo(403);
    }

    @Test
    void aFullFileSystemQueueIs503WithRetryAfterAndAnErrorId() throws Exception {
        HttpExchange busy = exchange(new StaticFileService("index.html", task -> {
            throw new RejectedExecutionException("queue full");
        }));
        HttpExchange.Response response = busy.single(get("/static/hello.txt"));
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        // a failure on the front's side: its error id is in a header, the body and (for the access log) the channel
        String id = response.header("X-Front-Error-Id");
        assertThat(id).matches("[0-9a-hjkmnp-tv-z]{10}");
        assertThat(response.text()).isEqualTo("503 Service Unavailable (error id " + id + ")\n");
        assertThat(busy.channel.attr(dev.front.core.connection.RequestAttributes.ERROR_ID).get()).isEqualTo(id);
        assertThat(busy.channel.isOpen()).isTrue();
    }

    @Test
    void theOwnExecutorServesAndShutsDown() throws Exception {
        try (StaticFileService service = new StaticFileService("index.html")) {
            HttpExchange threaded = exchange(service);
            threaded.channel.writeInbound(io.netty.buffer.Unpooled.copiedBuffer(get("/static/hello.txt"), StandardCharsets.US_ASCII));
            // the answer is decided on a file-system thread and handed back to the channel's event loop
            Object head = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (head == null && System.nanoTime() < deadline) {
                Thread.sleep(5);
                synchronized (threaded.channel) {
                    threaded.channel.runPendingTasks();
                }
                head = threaded.channel.readOutbound();
            }
            assertThat(head).isNotNull();
            assertThat(((io.netty.buffer.ByteBuf) head).toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK");
            io.netty.util.ReferenceCountUtil.release(head);
            Object rest;
            while ((rest = threaded.channel.readOutbound()) != null) {
                io.netty.util.ReferenceCountUtil.release(rest);
            }
        }
    }

    @Test
    void aRepeatedRequestIsAnsweredFromTheCacheWithoutFileSystemWork() throws Exception {
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        HttpExchange counted = exchange(new StaticFileService("index.html", task -> {
            tasks.incrementAndGet();
            task.run();
        }));
        assertThat(counted.single(get("/static/hello.txt")).text()).isEqualTo("hello, world\n");
        assertThat(tasks).hasValue(1);
        HttpExchange.Response again = counted.single(get("/static/hello.txt", "Range: bytes=0-4"));
        assertThat(again.text()).isEqualTo("hello");
        assertThat(tasks).hasValue(1);
        // a missing path is never cached, so it cannot shadow or evict anything
        assertThat(counted.single(get("/static/missing.txt")).status()).isEqualTo(404);
        assertThat(counted.single(get("/static/missing.txt")).status()).isEqualTo(404);
        assertThat(tasks).hasValue(3);
    }

    @Test
    void aChangedFileIsSeenOnceTheCacheEntryIsOlderThanItsBound() throws Exception {
        assertThat(http.single(get("/static/hello.txt")).text()).isEqualTo("hello, world\n");
        Path replacement = root.resolve("hello.txt.new");
        Files.writeString(replacement, "changed\n");
        Files.move(replacement, root.resolve("hello.txt"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(FileCache.TTL_NANOS) + 50);
        HttpExchange.Response response = http.single(get("/static/hello.txt"));
        assertThat(response.text()).isEqualTo("changed\n");
        assertThat(response.header("Content-Length")).isEqualTo("8");
    }

    @Test
    void aSidecarAskedForByNameIsNotSentAsAnEncoding() throws Exception {
        assertThat(http.single(get("/static/app.js", "Accept-Encoding: br")).header("Content-Encoding")).isEqualTo("br");
        HttpExchange.Response direct = http.single(get("/static/app.js.br", "Accept-Encoding: br"));
        assertThat(direct.header("Content-Encoding")).isNull();
        assertThat(direct.text()).isEqualTo("BROTLI");
    }

    @Test
    void encryptedPipelinesFallBackFromZeroCopy() throws Exception {
        EmbeddedChannel plain = new EmbeddedChannel();
        assertThat(ResponseWriter.zeroCopyPossible(plain.pipeline())).isTrue();
        var engine = SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(false);
        EmbeddedChannel tls = new EmbeddedChannel(new SslHandler(engine));
        assertThat(ResponseWriter.zeroCopyPossible(tls.pipeline())).isFalse();
        tls.finishAndReleaseAll();
        plain.finishAndReleaseAll();
    }
}
