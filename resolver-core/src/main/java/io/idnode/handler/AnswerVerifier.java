package io.idnode.handler;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.model.ValueTypes;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ServedPrefixes;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RecordStore;
import java.security.PublicKey;
import java.util.Objects;

/**
 * Checks the proof in a challenge answer (handle-protocol.md §6.3 step 3) against the identity's keys,
 * read from the local store: HS_PUBKEY (RSA, DSA, P-256 or SM2 signature; SM2 as cn-extensions.md §3.2 with the
 * identity handle as user ID) or HS_SECKEY (PBKDF2 alg
 * 0x22 or legacy SHA-1 alg 2), the value at the identity's index or, for index 0, every value of that type.
 * Identities not kept here ({@link ServedPrefixes#holds}) are checked by their home node ({@link IdentityHomes},
 * VERIFY_CHALLENGE, §6.4); {@link #verifyHeld} answers such a question for the identities kept here. Thread-safe.
 */
public final class AnswerVerifier {
    private final RecordStore store;
    private final ServedPrefixes prefixes;
    private final ChallengeAnswers answers;
    private final HandleKeyCodec keys;
    private final IdentityHomes homes;

    /**
     * A verifier reading identities' keys from {@code store}, for identities homed in {@code prefixes}, checking
     * answers with {@code providers}.
     */
    public AnswerVerifier(RecordStore store, ServedPrefixes prefixes, CryptoProviders providers) {
        this(store, prefixes, providers, IdentityHomes.NONE);
    }

    /** As {@link #AnswerVerifier(RecordStore, ServedPrefixes, CryptoProviders)}; other identities asked of {@code homes}. */
    public AnswerVerifier(RecordStore store, ServedPrefixes prefixes, CryptoProviders providers,
            IdentityHomes homes) {
        this.homes = Objects.requireNonNull(homes, "homes");
        this.store = Objects.requireNonNull(store, "store");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.answers = new ChallengeAnswers(providers);
        this.keys = new HandleKeyCodec(providers);
    }

    /** Null if {@code answer} proves its identity for {@code nonce ‖ digest}; else the refusal (403 or 406). */
    public Outcome verify(ChallengeAnswer answer, byte[] nonce, byte[] digest) {
        String handle = answer.identityHandle();
        if (handle.isEmpty()) {
            return Outcome.refused(ResponseCode.AUTHEN_ERROR, "no identity named");
        }
        String type = answer.authType();
        if (!ValueTypes.HS_PUBKEY.equals(type) && !ValueTypes.HS_SECKEY.equals(type)) {
            return failed("unsupported authentication type " + type);
        }
        if (!prefixes.holds(handle)) {
            return homes.verify(answer, nonce, digest);
        }
        return local(type, handle, answer.identityIndex(), nonce, digest, answer.signedResponse());
    }

    /**
     * The home node's side of VERIFY_CHALLENGE (§6.4), which names no authentication type: true if
     * {@code signed} answers {@code nonce ‖ digest} with the HS_PUBKEY or HS_SECKEY value at {@code index} of
     * {@code handle} (0: any of them), kept here. Other nodes are never asked.
     */
    public boolean verifyHeld(String handle, int index, byte[] nonce, byte[] digest, byte[] signed) {
        if (handle.isEmpty() || !prefixes.holds(handle)) {
            return false;
        }
        return local(null, handle, index, nonce, digest, signed) == null;
    }

    /** As {@link #verify}, against the keys of {@code type} (null: both kinds) stored here. */
    private Outcome local(String type, String handle, int index, byte[] nonce, byte[] digest, byte[] signed) {
        HandleRecord record = store.get(handle);
        if (record == null) {
            return failed("identity handle " + handle + " not found");
        }
        boolean anyKey = false;
        String unusable = null;
        for (HandleValue v : record.values()) {
            String kind = v.hasType(ValueTypes.HS_SECKEY) ? ValueTypes.HS_SECKEY
                    : v.hasType(ValueTypes.HS_PUBKEY) ? ValueTypes.HS_PUBKEY : null;
            if (kind == null || type != null && !type.equals(kind) || index != 0 && v.index() != index) {
                continue;
            }
            anyKey = true;
            try {
                if (proves(kind, handle, v, nonce, digest, signed)) {
                    return null;
                }
            } catch (CryptoException | CryptoEngineException e) {
                unusable = "unusable answer: " + e.getMessage(); // another key of the identity may still fit
            }
        }
        if (unusable != null) {
            return failed(unusable);
        }
        return failed(anyKey ? "wrong signature or secret for " + index + ":" + handle
                : "no " + (type == null ? "key" : type) + " at " + index + ":" + handle);
    }

    private boolean proves(String type, String handle, HandleValue key, byte[] nonce, byte[] digest, byte[] signed)
            throws CryptoException {
        if (ValueTypes.HS_SECKEY.equals(type)) {
            return answers.verifySecretKeyAnswer(key.data(), nonce, digest, signed);
        }
        PublicKey publicKey;
        try {
            publicKey = keys.decodePublicKey(key.data());
        } catch (CryptoException e) {
            return false; // a stored value that is no key proves nothing; another value may
        }
        return answers.verifyPublicKeyAnswer(publicKey, handle, nonce, digest, signed);
    }

    private static Outcome failed(String message) {
        return Outcome.refused(ResponseCode.AUTHENTICATION_FAILED, message);
    }
}
