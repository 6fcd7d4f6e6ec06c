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
 * Identities on prefixes not served here get 406 until the node can ask other nodes. Thread-safe.
 */
public final class AnswerVerifier {
    private final RecordStore store;
    private final ServedPrefixes prefixes;
    private final ChallengeAnswers answers;
    private final HandleKeyCodec keys;

    /**
     * A verifier reading identities' keys from {@code store}, for identities homed in {@code prefixes}, checking
     * answers with {@code providers}.
     */
    public AnswerVerifier(RecordStore store, ServedPrefixes prefixes, CryptoProviders providers) {
        this.store = Objects.requireNonNull(store, "store");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.answers = new ChallengeAnswers(providers);
        this.keys = new HandleKeyCodec(providers);
    }

    /** Null if {@code answer} proves its identity for {@code nonce ‖ digest}; else the refusal (403 or 406). */
    public Outcome verify(ChallengeAnswer answer, byte[] nonce, byte[] digest) {
        String handle = answer.identityHandle();
        if (handle.isEmpty() || !prefixes.covers(handle)) {
            return Outcome.refused(ResponseCode.AUTHEN_ERROR, "identity not served by this node: " + handle);
        }
        String type = answer.authType();
        if (!ValueTypes.HS_PUBKEY.equals(type) && !ValueTypes.HS_SECKEY.equals(type)) {
            return failed("unsupported authentication type " + type);
        }
        HandleRecord record = store.get(handle);
        if (record == null) {
            return failed("identity handle " + handle + " not found");
        }
        boolean anyKey = false;
        String unusable = null;
        for (HandleValue v : record.values()) {
            if (!v.hasType(type) || answer.identityIndex() != 0 && v.index() != answer.identityIndex()) {
                continue;
            }
            anyKey = true;
            try {
                if (proves(type, handle, v, nonce, digest, answer.signedResponse())) {
                    return null;
                }
            } catch (CryptoException | CryptoEngineException e) {
                unusable = "unusable answer: " + e.getMessage(); // another key of the identity may still fit
            }
        }
        if (unusable != null) {
            return failed(unusable);
        }
        return failed(anyKey ? "wrong signature or secret for " + answer.identityIndex() + ":" + handle
                : "no " + type + " at " + answer.identityIndex() + ":" + handle);
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
