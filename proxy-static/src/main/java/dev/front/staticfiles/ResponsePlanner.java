package dev.front.staticfiles;

import dev.front.core.alias.AliasRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Decides the whole response for a GET or HEAD under an alias: resolves the path, picks a sidecar by
 * Accept-Encoding, opens the file, evaluates the preconditions and the range, and returns a plan whose body is
 * slices of the open file. {@link #plan} touches the file system and runs on the file-system executor;
 * {@link #planFromCache} only reads the {@link FileCache} and runs on the event loop.
 */
final class ResponsePlanner {

    private static final ByteRanges.Result WHOLE = new ByteRanges.Whole();

    private final PathResolver resolver;
    private final FileCache cache;

    ResponsePlanner(PathResolver resolver, FileCache cache) {
        this.resolver = resolver;
        this.cache = cache;
    }

    /** The response from fresh cache entries alone, or {@code null} when the file system must be asked. */
    ResponsePlan planFromCache(RequestFacts request, AliasRequest target) {
        FileCache.Resolved resolved = cache.resolved(target.alias(), target.subPath());
        if (resolved == null) {
            return null;
        }
        ContentCoding coding = ContentCoding.negotiate(request.acceptEncoding(), resolved.sidecars().keySet());
        OpenFile file = cache.file(resolved.pathFor(coding), coding);
        if (file == null) {
            return null;
        }
        try {
            return planRepresentation(request, resolved.names(), !resolved.sidecars().isEmpty(), file);
        } finally {
            file.release();
        }
    }

    ResponsePlan plan(RequestFacts request, AliasRequest target) {
        Resolution resolution = resolver.resolve(target.alias(), target.subPath(), target.rawQuery());
        return switch (resolution) {
            case Resolution.Refused refused -> StatusResponses.of(refused.status(), request);
            case Resolution.Redirect redirect -> StatusResponses.redirect(redirect.location());
            case Resolution.Found found -> planFile(request, target, found);
        };
    }

    private ResponsePlan planFile(RequestFacts request, AliasRequest target, Resolution.Found original) {
        Map<ContentCoding, Path> sidecars = new EnumMap<>(ContentCoding.class);
        try {
            Sidecars.of(original).forEach((coding, found) -> sidecars.put(coding, found.file()));
        } catch (IOException e) {
            return StatusResponses.of(FileErrors.statusOf(e), request);
        }
        NameHeaders names = NameHeaders.of(original.file().getFileName().toString());
        cache.putResolved(target.alias(), target.subPath(), original, sidecars, names);
        ContentCoding coding = ContentCoding.negotiate(request.acceptEncoding(), sidecars.keySet());
        OpenFile file = null;
        if (coding != null) {
            try {
                file = open(sidecars.get(coding), coding);
            } catch (IOException e) {
                // an unreadable sidecar: the original is still a correct answer
            }
        }
        try {
            if (file == null) {
                file = open(original.file(), null);
            }
        } catch (IOException e) {
            return StatusResponses.of(FileErrors.statusOf(e), request);
        }
        try {
            return planRepresentation(request, names, !sidecars.isEmpty(), file);
        } finally {
            file.release();
        }
    }

    private OpenFile open(Path path, ContentCoding coding) throws IOException {
        OpenFile file = cache.file(path, coding);
        if (file == null) {
            file = OpenFile.open(path, coding);
            cache.putFile(path, file);
        }
        return file;
    }

    /**
     * The response for one representation; pure computation, so it may run on the event loop. Content-Type and
     * Cache-Control ({@code names}) follow the name of the original, also when a sidecar is sent.
     * Every file slice in the plan holds a reference of its own to {@code file}.
     */
    private static ResponsePlan planRepresentation(RequestFacts request, NameHeaders names, boolean varies,
                                                   OpenFile file) {
        String etag = file.etag();
        switch (Preconditions.evaluate(request, etag, file.modifiedSecond())) {
            case PRECONDITION_FAILED -> {
                ResponsePlan failed = StatusResponses.of(HttpResponseStatus.PRECONDITION_FAILED, request);
                vary(failed.head().headers(), varies);
                return failed;
            }
            case NOT_MODIFIED -> {
                HttpResponse head = ResponseHeads.of(HttpResponseStatus.NOT_MODIFIED);
                head.headers()
                        .add(HttpHeaderNames.DATE, HttpDates.now())
                        .add(HttpHeaderNames.ETAG, file.etagValue())
                        .add(HttpHeaderNames.CACHE_CONTROL, names.cacheControl());
                vary(head.headers(), varies);
                return ResponsePlan.headOnly(head);
            }
            case PROCEED -> {
                // the representation itself follows
            }
        }
        // Range is defined for GET only (RFC 9110 §14.2): HEAD ignores it, like a failed If-Range does.
        ByteRanges.Result ranges = request.head() || request.range() == null
                || !Preconditions.ifRangeHolds(request.ifRange(), etag, file.modifiedSecond())
                ? WHOLE
                : ByteRanges.parse(request.range(), file.size());
        if (ranges instanceof ByteRanges.Unsatisfiable) {
            ResponsePlan refused = StatusResponses.of(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, request);
            refused.head().headers()
                    .set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + file.size())
                    .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
            vary(refused.head().headers(), varies);
            return refused;
        }
        HttpResponse head = ResponseHeads.of(HttpResponseStatus.OK);
        HttpHeaders headers = head.headers();
        headers.add(HttpHeaderNames.DATE, HttpDates.now())
                .add(HttpHeaderNames.LAST_MODIFIED, file.lastModifiedValue())
                .add(HttpHeaderNames.ETAG, file.etagValue())
                .add(HttpHeaderNames.CACHE_CONTROL, names.cacheControl())
                .add(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
                .add(ResponseHeads.X_CONTENT_TYPE_OPTIONS, ResponseHeads.NOSNIFF);
        vary(headers, varies);
        if (file.coding() != null) {
            headers.add(HttpHeaderNames.CONTENT_ENCODING, file.coding().headerValue());
        }
        List<ByteRanges.ByteRange> parts = ranges instanceof ByteRanges.Partial partial ? partial.ranges() : List.of();
        if (parts.size() > 1) {
            head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
            return multipart(head, request, file, names.contentType().toString(), parts);
        }
        headers.add(HttpHeaderNames.CONTENT_TYPE, names.contentType());
        long first = 0;
        long length = file.size();
        if (parts.size() == 1) {
            ByteRanges.ByteRange range = parts.getFirst();
            head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
            headers.add(HttpHeaderNames.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + file.size());
            first = range.first();
            length = range.length();
            headers.add(HttpHeaderNames.CONTENT_LENGTH, length);
        } else {
            headers.add(HttpHeaderNames.CONTENT_LENGTH, file.lengthValue());
        }
        if (request.head() || length == 0) {
            return ResponsePlan.headOnly(head);
        }
        return new ResponsePlan(head, List.of(new ResponsePlan.FileSlice(file.retain(), first, length)));
    }

    private static void vary(HttpHeaders headers, boolean varies) {
        if (varies) {
            headers.add(HttpHeaderNames.VARY, ResponseHeads.ACCEPT_ENCODING);
        }
    }

    /**
     * {@code multipart/byteranges} (RFC 9110 §14.6): each part has its own headers and a slice of the file; the
     * Content-Length is the exact sum, computed before anything is sent.
     */
    private static ResponsePlan multipart(HttpResponse head, RequestFacts request, OpenFile file, String contentType,
                                          List<ByteRanges.ByteRange> ranges) {
        MultipartByteranges layout = new MultipartByteranges(contentType, file.size(), ranges);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, layout.contentType());
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, layout.contentLength());
        if (request.head()) {
            return ResponsePlan.headOnly(head);
        }
        List<ResponsePlan.Part> parts = new ArrayList<>(ranges.size() * 2 + 1);
        for (int i = 0; i < ranges.size(); i++) {
            ByteRanges.ByteRange range = ranges.get(i);
            parts.add(new ResponsePlan.Bytes(layout.partHeader(i)));
            parts.add(new ResponsePlan.FileSlice(file.retain(), range.first(), range.length()));
        }
        parts.add(new ResponsePlan.Bytes(layout.closing()));
        return new ResponsePlan(head, parts);
    }
}
