package dev.front.launcher;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Proves a new child can serve before it gets traffic: one {@code GET} of {@code --reload-probe-path} straight to its
 * socket or port, answered completely. A connect alone is not enough: gunicorn binds before its workers have imported
 * the application, so a broken deploy accepts connections and never answers (or answers 500).
 */
final class ReloadProbe {

    /** The probe gave up: no connection, no complete answer in time, or the child went away. */
    static final class NoAnswer extends IOException {
        NoAnswer(String message) {
            super(message);
        }
    }

    private static final long SLICE_MILLIS = 100;
    /** More than any status line and headers; the body is only counted. */
    private static final int HEAD_LIMIT = 64 * 1024;

    private ReloadProbe() {
    }

    /**
     * Sends {@code GET path} and reads the whole response (the child closes after it: {@code Connection: close}).
     *
     * @param giveUp checked every 100 ms: true stops the probe (the child exited, the front is stopping)
     * @return the response's status
     * @throws NoAnswer with the reason when there is no complete response before {@code deadlineNanos}
     */
    static int get(SocketAddress address, String path, long deadlineNanos, BooleanSupplier giveUp) throws NoAnswer {
        try (SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
             Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            boolean connected = channel.connect(address);
            SelectionKey key = channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT);
            ByteBuffer request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "User-Agent: front-reload-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ByteBuffer head = ByteBuffer.allocate(HEAD_LIMIT);
            ByteBuffer body = ByteBuffer.allocate(16 * 1024);
            long bodyBytes = 0;
            while (true) {
                long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new NoAnswer("no complete answer to GET " + path + " in time"
                            + (head.position() == 0 ? " (nothing came)" : ""));
                }
                if (giveUp.getAsBoolean()) {
                    throw new NoAnswer("given up");
                }
                selector.select(Math.min(left, SLICE_MILLIS));
                if (key.isValid() && key.isConnectable() && channel.finishConnect()) {
                    key.interestOps(SelectionKey.OP_WRITE);
                }
                if (key.isValid() && key.isWritable()) {
                    channel.write(request);
                    if (!request.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isValid() && key.isReadable()) {
                    ByteBuffer into = head.hasRemaining() ? head : body.clear();
                    int read = channel.read(into);
                    if (read < 0) {
                        return complete(head, bodyBytes, path);
                    }
                    if (into == body) {
                        bodyBytes += read;
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (NoAnswer e) {
            throw e;
        } catch (IOException e) {
            throw new NoAnswer("GET " + path + ": " + e.getMessage());
        }
    }

    /** The status, when what came up to the close is one whole response. */
    private static int complete(ByteBuffer head, long moreBody, String path) throws NoAnswer {
        String text = new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new NoAnswer(text.isEmpty() ? "the connection closed without an answer to GET " + path
                    : "no HTTP response to GET " + path + ": " + firstLine(text));
        }
        String statusLine = firstLine(text);
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (RuntimeException e) {
            throw new NoAnswer("a malformed status line answered GET " + path + ": " + statusLine);
        }
        long body = text.length() - (end + 4) + moreBody;
        String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
        int length = headers.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int lineEnd = headers.indexOf("\r\n", length + 2);
            String value = headers.substring(length + 17, lineEnd < 0 ? headers.length() : lineEnd).trim();
            try {
                if (body < Long.parseLong(value)) {
                    throw new NoAnswer("the answer to GET " + path + " (" + status + ") was cut short: " + body
                            + " of " + value + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new NoAnswer("a malformed Content-Length answered GET " + path + ": " + value);
            }
        } else if (headers.contains("\r\ntransfer-encoding:") && headers.contains("chunked")
                && !(text.endsWith("0\r\n\r\n") || moreBody > 0)) {
            throw new NoAnswer("the chunked answer to GET " + path + " (" + status + ") was cut short");
        }
        return status;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf("\r\n");
        return newline < 0 ? text : text.substring(0, newline);
    }
}
