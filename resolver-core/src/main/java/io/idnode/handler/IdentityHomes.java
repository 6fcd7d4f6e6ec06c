package io.idnode.handler;

import io.idnode.model.SiteInfo;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.ResponseCode;
import java.util.List;

/**
 * Where identities kept on other nodes are checked (handle-protocol.md §6.3 step 3, §6.4): the identity's home
 * node, found through the hierarchy, is asked with VERIFY_CHALLENGE whether an answer proves it. The SDK's client
 * implements it ({@link Factory}, found by the node through {@link java.util.ServiceLoader}); the core only asks.
 * Implementations may block and are thread-safe; close them to release their connections.
 */
public interface IdentityHomes extends AutoCloseable {
    /** No other node is asked: an identity not kept here is refused (406). */
    IdentityHomes NONE = (answer, nonce, digest) -> Outcome.refused(ResponseCode.AUTHEN_ERROR,
            "identity not served by this node: " + answer.identityHandle());

    /**
     * Null if {@code answer} proves its identity for {@code nonce ‖ digest} as its home node says; else the
     * refusal: 403 when the home node says it does not, 406 when the home node cannot be found or asked.
     */
    Outcome verify(ChallengeAnswer answer, byte[] nonce, byte[] digest);

    @Override
    default void close() {
    }

    /** Makes the {@link IdentityHomes} of a node that trusts the top-level nodes of {@code roots} (§7.1). */
    interface Factory {
        /** Homes found from {@code roots}, their servers' HS_SITE descriptions (at least one). */
        IdentityHomes open(List<SiteInfo> roots);
    }
}
