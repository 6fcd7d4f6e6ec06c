package io.idnode.handler;

import io.idnode.model.SiteInfo;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/**
 * What a node says about itself: its site description (HS_SITE, whose server entry carries the public
 * half of {@code signingKey}) and the private key it signs replies with (handle-protocol.md §2.3).
 */
public record NodeIdentity(SiteInfo site, PrivateKey signingKey, PublicKey publicKey) {
    public NodeIdentity {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }
}
