package dev.front.core.observe;

import io.netty.channel.ChannelHandler;

/** What every client connection reports its requests to: the metrics, and the access log when there is one. */
public final class RequestObserver {

    private final FrontMetrics metrics;
    private final AccessLog accessLog;

    /** @param accessLog {@code null} without {@code --access-log} */
    public RequestObserver(FrontMetrics metrics, AccessLog accessLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    public FrontMetrics metrics() {
        return metrics;
    }

    /** The handler for one new client connection (it keeps that connection's pending requests). */
    public ChannelHandler newHandler() {
        return new RequestObserverHandler(metrics, accessLog);
    }
}
