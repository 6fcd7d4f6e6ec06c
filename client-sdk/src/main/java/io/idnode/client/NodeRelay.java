package io.idnode.client;

import io.idnode.handler.UpstreamNodes;
import io.idnode.model.SiteInfo;
import io.idnode.protocol.Message;
import io.idnode.protocol.ResponseCode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A node's requests to other nodes, through the SDK's transport (pooled TCP connections, UDP with its retry
 * schedule): a request built by the node goes to the servers of the sites it names and its reply comes back as
 * it is, referrals included (handle-protocol.md §4.3), for the node to follow. Servers are tried in turn, the one
 * the handle hashes to first in each site (§7.2), UDP first and then TCP, also when the UDP reply sends the client
 * to TCP (§1.3). Thread-safe; closing it closes its client.
 */
public final class NodeRelay implements UpstreamNodes {
    /** Waits between UDP sends of one request: short, as the whole question has a deadline of its own. */
    static final List<Duration> UDP_RETRY_SCHEDULE = List.of(Duration.ofMillis(300), Duration.ofMillis(600));

    private final HandleClient client;
    private final Engine engine;

    /** Sends through {@code client}; closing this closes it. */
    public NodeRelay(HandleClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.engine = client.engine();
    }

    /** A relay of its own client, which knows {@code roots} (at least one) as its sites. */
    public static NodeRelay fromRoots(List<SiteInfo> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no top-level node given");
        }
        HandleClient.Builder b = HandleClient.builder().sessions(false).prefixLookup(false)
                .udpRetrySchedule(UDP_RETRY_SCHEDULE);
        roots.forEach(b::site);
        return new NodeRelay(b.build());
    }

    @Override
    public CompletableFuture<Message> send(Message request, List<SiteInfo> sites, String handle, Duration timeout) {
        Objects.requireNonNull(request, "request");
        List<Endpoint> servers = new ArrayList<>();
        for (SiteInfo site : sites) {
            int n = site.servers().size();
            int first = n > 1 && handle != null ? site.serverIndexFor(handle) : 0;
            for (int k = 0; k < n; k++) {
                Endpoint e = Endpoint.of(site, site.servers().get((first + k) % n), engine.keyCodec);
                if (e != null && e.query()) {
                    servers.add(e);
                }
            }
        }
        CompletableFuture<Message> result = new CompletableFuture<>();
        if (servers.isEmpty()) {
            result.completeExceptionally(new IOException("the sites name no server that answers queries"));
            return result;
        }
        new Attempt(request, servers, System.nanoTime() + timeout.toNanos(), result).at(0);
        return result;
    }

    /** One request tried at each server in turn until one answers or the deadline passes. */
    private final class Attempt {
        private final Engine.Outgoing out;
        private final List<Endpoint> servers;
        private final long deadline;
        private final CompletableFuture<Message> result;
        private volatile boolean timedOut;
        private volatile Throwable last;

        Attempt(Message request, List<Endpoint> servers, long deadline, CompletableFuture<Message> result) {
            this.out = new Engine.Outgoing(request);
            this.servers = servers;
            this.deadline = deadline;
            this.result = result;
        }

        void at(int i) {
            long left = deadline - System.nanoTime();
            if (i >= servers.size() || left <= 0) {
                result.completeExceptionally(timedOut || left <= 0
                        ? new TimeoutException("no node answered in time" + (last == null ? "" : ": " + describe()))
                        : new IOException("no node could be reached: " + describe(), last));
                return;
            }
            Endpoint ep = servers.get(i);
            CompletableFuture<Message> reply;
            if (ep.udp() != null) {
                reply = engine.sendUdp(ep, out, deadline).handle((r, err) -> {
                    boolean toTcp = err != null || r.responseCode().equals(ResponseCode.ERROR);
                    if (!toTcp || ep.tcp() == null || deadline - System.nanoTime() <= 0) {
                        return err != null ? CompletableFuture.<Message>failedFuture(err)
                                : CompletableFuture.completedFuture(r);
                    }
                    return tcp(ep);
                }).thenCompose(f -> f);
            } else {
                reply = tcp(ep);
            }
            reply.whenComplete((r, err) -> {
                if (err == null) {
                    result.complete(r);
                } else {
                    last = Engine.unwrap(err);
                    timedOut |= last instanceof TimeoutException;
                    at(i + 1);
                }
            });
        }

        private CompletableFuture<Message> tcp(Endpoint ep) {
            return engine.sendTcp(ep, out, null, deadline - System.nanoTime());
        }

        private String describe() {
            return last == null ? "none tried" : last.getClass().getSimpleName() + " " + last.getMessage();
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** The {@link UpstreamNodes.Factory} a node finds through {@link java.util.ServiceLoader}. */
    public static final class Factory implements UpstreamNodes.Factory {
        @Override
        public UpstreamNodes open(List<SiteInfo> roots) {
            return fromRoots(roots);
        }
    }
}
