package io.idnode.sign;

import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.keys.Jwk;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Signs with one key: records (HS_SIGNATURE over the values that need it, handle-protocol.md §5.6) and
 * certificates (HS_CERT granting another key permissions). The signer is named {@code index:handle}
 * ({@code iss}); {@code chain} optionally tells verifiers where its own certificate is. Thread-safe, so
 * one signer serves a whole batch signing in parallel.
 */
public final class RecordSigner {
    /** The index signers store HS_SIGNATURE and HS_CERT at by convention (cn-extensions.md §5.2). */
    public static final int SIGNATURE_INDEX = 400;

    private final JwsEngine engine;
    private final PrivateKey key;
    private final ValueReference signer;
    private final List<String> chain;
    private final Duration validity;
    private final Clock clock;

    /**
     * A signer with {@code key}, known as {@code signer}, whose signatures say where its certificate is
     * ({@code chain}, may be empty) and are valid for {@code validity} from now by {@code clock}.
     *
     * @throws UnsupportedAlgorithmException if the key's algorithm has no registry entry
     */
    public RecordSigner(JwsEngine engine, PrivateKey key, ValueReference signer, List<String> chain,
            Duration validity, Clock clock) throws UnsupportedAlgorithmException {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.key = Objects.requireNonNull(key, "key");
        io.idnode.crypto.SignatureAlgorithm.forKey(key);
        this.signer = Objects.requireNonNull(signer, "signer");
        this.chain = List.copyOf(chain);
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, got " + validity);
        }
        this.validity = validity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Who signs, as written in {@code iss}. */
    public ValueReference signer() {
        return signer;
    }

    /** The claims of a signature of {@code values} of {@code handle}, valid from now for the validity. */
    public HandleClaims claims(String handle, List<HandleValue> values) {
        long now = clock.millis() / 1000;
        return new HandleClaims(List.of(), new HandleClaims.Digests(ValueDigests.SHA_256,
                ValueDigests.of(values, engine.providers())), chain, null, null, reference(signer), handle,
                now + validity.toSeconds(), now, now);
    }

    /** The JWS of a signature of {@code values} of {@code handle}. */
    public Jws sign(String handle, List<HandleValue> values) {
        return signClaims(claims(handle, values));
    }

    /**
     * {@code values} with an HS_SIGNATURE value covering them all, at {@link #SIGNATURE_INDEX} or the first
     * free index above it. An HS_SIGNATURE already among them is replaced, as it signed other values.
     */
    public List<HandleValue> signed(String handle, List<HandleValue> values) {
        List<HandleValue> kept = new ArrayList<>(values.size() + 1);
        for (HandleValue v : values) {
            if (!v.hasType(ValueTypes.HS_SIGNATURE)) {
                kept.add(v);
            }
        }
        int index = SIGNATURE_INDEX;
        while (taken(kept, index)) {
            index++;
        }
        kept.add(HandleValue.builder(index, ValueTypes.HS_SIGNATURE).permissions(ValuePermissions.DEFAULT)
                .data(sign(handle, kept).compact().getBytes(StandardCharsets.UTF_8)).build());
        return kept;
    }

    /**
     * An HS_CERT JWS by this signer granting {@code subject}'s {@code subjectKey} the {@code perms}, valid for
     * {@code validity} from now.
     *
     * @throws UnsupportedAlgorithmException if the subject key's algorithm has no registry entry
     */
    public Jws certify(ValueReference subject, PublicKey subjectKey, List<Permission> perms, Duration validity)
            throws UnsupportedAlgorithmException {
        long now = clock.millis() / 1000;
        HandleClaims claims = new HandleClaims(perms, null, chain, new Jwk(engine.providers()).toJwk(subjectKey),
                null, reference(signer), reference(subject), now + validity.toSeconds(), now, now);
        return signClaims(claims);
    }

    /** Signs arbitrary claims with this signer's key (for tests of dates and tampering, and re-signing). */
    public Jws signClaims(HandleClaims claims) {
        try {
            return engine.sign(claims.toJson(), key);
        } catch (UnsupportedAlgorithmException e) {
            throw new IllegalStateException("key checked at construction", e);
        }
    }

    /** {@code index:handle}. */
    public static String reference(ValueReference ref) {
        return ref.index() + ":" + ref.handle();
    }

    private static boolean taken(List<HandleValue> values, int index) {
        for (HandleValue v : values) {
            if (v.index() == index) {
                return true;
            }
        }
        return false;
    }
}
