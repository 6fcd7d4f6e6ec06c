package io.idnode.handler;

import io.idnode.model.SiteInfo;
import io.idnode.protocol.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a node sends a request of its own to other nodes and gets their reply as it came, referrals included
 * (handle-protocol.md §4.3): what a recursive node follows the tree with. The SDK's client implements it
 * ({@link Factory}, found through {@link java.util.ServiceLoader}); the core only asks. Thread-safe; close it to
 * release its connections.
 */
public interface UpstreamNodes extends AutoCloseable {

    /**
     * The reply to {@code request} from the servers of {@code sites}, the one {@code handle} hashes to first in
     * each site (§7.2), UDP first then TCP (§1.3). Fails with a {@link java.util.concurrent.TimeoutException}
     * when no server answered within {@code timeout} and some took a request, with another exception when none
     * could be reached at all.
     */
    CompletableFuture<Message> send(Message request, List<SiteInfo> sites, String handle, Duration timeout);

    @Override
    default void close() {
    }

    /** Makes the {@link UpstreamNodes} of a node. */
    interface Factory {
        /** A new sender with its own connections, for a node that trusts the top-level nodes of {@code roots}. */
        UpstreamNodes open(List<SiteInfo> roots);
    }
}
