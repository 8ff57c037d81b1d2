package dev.front.staticfiles;

import dev.front.core.AliasRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Decides the whole response for a GET or HEAD under an alias: resolves the path, picks a sidecar by
 * Accept-Encoding, opens the file, evaluates the preconditions and the range, and returns a plan whose body is slices
 * of open files. Runs on the file-system executor, never on the event loop. Size and validators are read after the
 * file is opened, so they describe what will be sent.
 */
final class ResponsePlanner {

    private static final String ACCEPT_ENCODING_VALUE = "Accept-Encoding";

    private final PathResolver resolver;

    ResponsePlanner(PathResolver resolver) {
        this.resolver = resolver;
    }

    ResponsePlan plan(RequestFacts request, AliasRequest target) {
        Resolution resolution = resolver.resolve(target.alias(), target.subPath(), target.rawQuery());
        return switch (resolution) {
            case Resolution.Refused refused -> StatusResponses.of(refused.status(), request);
            case Resolution.Redirect redirect -> StatusResponses.redirect(redirect.location());
            case Resolution.Found found -> planFile(request, found);
        };
    }

    private ResponsePlan planFile(RequestFacts request, Resolution.Found original) {
        Map<ContentCoding, Resolution.Found> sidecars;
        try {
            sidecars = Sidecars.of(original);
        } catch (IOException e) {
            return StatusResponses.of(FileErrors.statusOf(e), request);
        }
        ContentCoding coding = ContentCoding.negotiate(request.acceptEncoding(), sidecars.keySet());
        FileChannel file = null;
        Path path = original.file();
        if (coding != null) {
            path = sidecars.get(coding).file();
            try {
                file = FileChannel.open(path, StandardOpenOption.READ);
            } catch (IOException e) {
                coding = null; // an unreadable sidecar: the original is still a correct answer
                path = original.file();
            }
        }
        try {
            if (file == null) {
                file = FileChannel.open(path, StandardOpenOption.READ);
            }
            long size = file.size();
            FileTime modified = Files.getLastModifiedTime(path);
            Representation representation = new Representation(path, original.file().getFileName().toString(),
                    coding, !sidecars.isEmpty(), size, modified);
            FileChannel opened = file;
            ResponsePlan plan = planRepresentation(request, representation, opened);
            if (plan.body().stream().noneMatch(p -> p instanceof ResponsePlan.FileSlice slice && slice.file() == opened)) {
                ResponsePlan.closeQuietly(opened); // HEAD, 304, 412, 416 or an empty file: nothing to send from it
            }
            return plan;
        } catch (IOException e) {
            if (file != null) {
                ResponsePlan.closeQuietly(file);
            }
            return StatusResponses.of(FileErrors.statusOf(e), request);
        }
    }

    /** What is being sent: the original or one of its sidecars. */
    private record Representation(Path path, String name, ContentCoding coding, boolean varies, long size,
                                  FileTime modified) {
        String etag() {
            return EntityTags.of(size, modified, coding == null ? null : coding.token());
        }

        long modifiedSecond() {
            return modified.to(TimeUnit.SECONDS);
        }
    }

    private ResponsePlan planRepresentation(RequestFacts request, Representation file, FileChannel channel)
            throws IOException {
        String etag = file.etag();
        String contentType = MimeTypes.of(file.name());
        switch (Preconditions.evaluate(request, etag, file.modifiedSecond())) {
            case PRECONDITION_FAILED -> {
                ResponsePlan failed = StatusResponses.of(HttpResponseStatus.PRECONDITION_FAILED, request);
                vary(failed.head().headers(), file);
                return failed;
            }
            case NOT_MODIFIED -> {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
                head.headers()
                        .set(HttpHeaderNames.DATE, HttpDates.now())
                        .set(HttpHeaderNames.ETAG, etag)
                        .set(HttpHeaderNames.CACHE_CONTROL, CachePolicy.cacheControl(file.name()));
                vary(head.headers(), file);
                return ResponsePlan.headOnly(head);
            }
            case PROCEED -> {
                // falls through to the representation itself
            }
        }
        ByteRanges.Result ranges = request.head() || !Preconditions.ifRangeHolds(request.ifRange(), etag, file.modifiedSecond())
                ? new ByteRanges.Whole() // Range is defined for GET only (RFC 9110 §14.2): HEAD ignores it
                : ByteRanges.parse(request.range(), file.size());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders headers = head.headers();
        headers.set(HttpHeaderNames.DATE, HttpDates.now())
                .set(HttpHeaderNames.LAST_MODIFIED, HttpDates.format(file.modifiedSecond()))
                .set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.CACHE_CONTROL, CachePolicy.cacheControl(file.name()))
                .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
                .set(StatusResponses.X_CONTENT_TYPE_OPTIONS, StatusResponses.NOSNIFF);
        vary(headers, file);
        if (file.coding() != null) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, file.coding().token());
        }
        switch (ranges) {
            case ByteRanges.Unsatisfiable u -> {
                ResponsePlan refused = StatusResponses.of(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, request);
                refused.head().headers()
                        .set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + file.size())
                        .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
                vary(refused.head().headers(), file);
                return refused;
            }
            case ByteRanges.Whole w -> {
                headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
                headers.set(HttpHeaderNames.CONTENT_LENGTH, file.size());
                return body(head, request, List.of(new ResponsePlan.FileSlice(channel, 0, file.size())));
            }
            case ByteRanges.Partial partial when partial.ranges().size() == 1 -> {
                ByteRanges.ByteRange range = partial.ranges().getFirst();
                head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
                headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
                headers.set(HttpHeaderNames.CONTENT_RANGE,
                        "bytes " + range.first() + "-" + range.last() + "/" + file.size());
                headers.set(HttpHeaderNames.CONTENT_LENGTH, range.length());
                return body(head, request, List.of(new ResponsePlan.FileSlice(channel, range.first(), range.length())));
            }
            case ByteRanges.Partial partial -> {
                head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
                return multipart(head, request, file, contentType, partial.ranges(), channel);
            }
        }
    }

    private static void vary(HttpHeaders headers, Representation file) {
        if (file.varies()) {
            headers.set(HttpHeaderNames.VARY, ACCEPT_ENCODING_VALUE);
        }
    }

    private static ResponsePlan body(HttpResponse head, RequestFacts request, List<ResponsePlan.Part> parts) {
        if (request.head()) {
            return ResponsePlan.headOnly(head);
        }
        List<ResponsePlan.Part> nonEmpty = parts.stream()
                .filter(p -> !(p instanceof ResponsePlan.FileSlice slice) || slice.count() > 0)
                .toList();
        return new ResponsePlan(head, nonEmpty);
    }

    /**
     * {@code multipart/byteranges} (RFC 9110 §14.6): each part has its own headers and a slice of the file; the
     * Content-Length is the exact sum, computed before anything is sent. Every part beyond the first opens the file
     * again, since each slice must own its channel.
     */
    private ResponsePlan multipart(HttpResponse head, RequestFacts request, Representation file, String contentType,
                                   List<ByteRanges.ByteRange> ranges, FileChannel first) throws IOException {
        MultipartByteranges layout = new MultipartByteranges(contentType, file.size(), ranges);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, layout.contentType());
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, layout.contentLength());
        if (request.head()) {
            return ResponsePlan.headOnly(head);
        }
        List<ResponsePlan.Part> parts = new ArrayList<>(ranges.size() * 2 + 1);
        try {
            for (int i = 0; i < ranges.size(); i++) {
                ByteRanges.ByteRange range = ranges.get(i);
                FileChannel channel = i == 0 ? first : FileChannel.open(file.path(), StandardOpenOption.READ);
                parts.add(new ResponsePlan.Bytes(layout.partHeader(i)));
                parts.add(new ResponsePlan.FileSlice(channel, range.first(), range.length()));
            }
        } catch (IOException e) {
            new ResponsePlan(head, parts).discard();
            throw e;
        }
        parts.add(new ResponsePlan.Bytes(layout.closing()));
        return new ResponsePlan(head, parts);
    }
}
