package dev.front.staticfiles;

import dev.front.core.alias.AliasRequest;
import dev.front.core.compress.AcceptEncoding;
import dev.front.core.compress.Coding;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Decides the whole response for a GET or HEAD under an alias: resolves the path, picks a sidecar by
 * Accept-Encoding, opens the file, evaluates the preconditions and the range, and returns a plan whose body is
 * slices of the open file. With {@code --compress-responses}, a file without an acceptable sidecar is sent compressed
 * from {@link CompressedFiles} instead (a sidecar, made at build time with the best settings, always wins).
 * {@link #plan} touches the file system and runs on the file-system executor; {@link #planFromCache} only reads the
 * {@link FileCache} (and the compressed files kept) and runs on the event loop.
 */
final class ResponsePlanner {

    private static final ByteRanges.Result WHOLE = new ByteRanges.Whole();

    private final PathResolver resolver;
    private final FileCache cache;
    /** {@code null} without {@code --compress-responses}. */
    private final CompressedFiles compressed;

    ResponsePlanner(PathResolver resolver, FileCache cache) {
        this(resolver, cache, null);
    }

    ResponsePlanner(PathResolver resolver, FileCache cache, CompressedFiles compressed) {
        this.resolver = resolver;
        this.cache = cache;
        this.compressed = compressed;
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
            Coding dynamic = dynamicCoding(request, resolved.names(), file);
            if (dynamic != null) {
                CompressedFiles.Entry entry = compressed.cached(resolved.original().file(), dynamic, file);
                if (entry == null) {
                    return null; // compressed on the file-system executor, once
                }
                return planRepresentation(request, resolved.names(), true, file, entry);
            }
            return planRepresentation(request, resolved.names(), varies(resolved.sidecars(), resolved.names(), file),
                    file, null);
        } finally {
            file.release();
        }
    }

    /**
     * The coding to compress this identity file in for this request, or {@code null}: only with
     * {@code --compress-responses}, for an eligible file, a request for the whole of it, and a client that accepts one.
     */
    private Coding dynamicCoding(RequestFacts request, NameHeaders names, OpenFile file) {
        if (compressed == null || file.coding() != null || !compressed.eligible(names, file)
                || !request.head() && request.range() != null) {
            return null;
        }
        return AcceptEncoding.negotiate(request.acceptEncoding(), compressed.codings());
    }

    /** Whether the response depends on Accept-Encoding: the file has sidecars, or is compressed for who accepts it. */
    private boolean varies(Map<ContentCoding, Path> sidecars, NameHeaders names, OpenFile file) {
        return !sidecars.isEmpty() || compressed != null && file.coding() == null && compressed.eligible(names, file);
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
            Coding dynamic = dynamicCoding(request, names, file);
            if (dynamic != null) {
                try {
                    return planRepresentation(request, names, true, file,
                            compressed.compressed(original.file(), dynamic, file));
                } catch (IOException e) {
                    // the file could not be read through: sent as it is, which is still a correct answer
                }
            }
            return planRepresentation(request, names, varies(sidecars, names, file), file, null);
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
     * Every file slice in the plan holds a reference of its own to {@code file}. With {@code compressedFile}, that
     * representation of {@code file} is sent instead, from memory, with its own tag and length; never in ranges.
     */
    private static ResponsePlan planRepresentation(RequestFacts request, NameHeaders names, boolean varies,
                                                   OpenFile file, CompressedFiles.Entry compressedFile) {
        String etag = compressedFile == null ? file.etag() : compressedFile.etag();
        AsciiString etagValue = compressedFile == null ? file.etagValue() : compressedFile.etagValue();
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
                        .add(HttpHeaderNames.ETAG, etagValue)
                        .add(HttpHeaderNames.CACHE_CONTROL, names.cacheControl());
                vary(head.headers(), varies);
                return ResponsePlan.headOnly(head);
            }
            case PROCEED -> {
                // the representation itself follows
            }
        }
        // Range is defined for GET only (RFC 9110 §14.2): HEAD ignores it, like a failed If-Range does.
        ByteRanges.Result ranges = request.head() || request.range() == null || compressedFile != null
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
                .add(HttpHeaderNames.ETAG, etagValue)
                .add(HttpHeaderNames.CACHE_CONTROL, names.cacheControl())
                .add(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
                .add(ResponseHeads.X_CONTENT_TYPE_OPTIONS, ResponseHeads.NOSNIFF);
        vary(headers, varies);
        if (compressedFile != null) {
            headers.add(HttpHeaderNames.CONTENT_ENCODING, compressedFile.coding().headerValue())
                    .add(HttpHeaderNames.CONTENT_TYPE, names.contentType())
                    .add(HttpHeaderNames.CONTENT_LENGTH, compressedFile.lengthValue());
            return request.head() ? ResponsePlan.headOnly(head)
                    : new ResponsePlan(head, List.of(new ResponsePlan.Bytes(compressedFile.bytes())));
        }
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
