package io.idnode.client;

import io.idnode.handler.IdentityHomes;
import io.idnode.handler.Outcome;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueReference;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.ResponseCode;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node's check of identities kept on other nodes (handle-protocol.md §6.3 step 3, §6.4): the identity's home
 * is found from the top-level nodes the node trusts, through the prefix records and their referrals (§4.3, §7.1),
 * and asked with VERIFY_CHALLENGE, whose reply must be signed by the key the home's site publishes. A verdict is
 * kept for {@link #VERDICT_LIFETIME}, so an answer sent again is not asked about again. Thread-safe.
 */
public final class HomeVerifier implements IdentityHomes {
    /** How long a verdict is kept. */
    public static final Duration VERDICT_LIFETIME = Duration.ofSeconds(30);
    /** How long a question to a home node may take, lookups and fail-over included. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_VERDICTS = 4096;

    private final HandleClient client;
    private final Clock clock;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

    private record Verdict(boolean valid, long expiresMillis) {
    }

    /** Asks through {@code client}, whose sites are the trusted top-level nodes; closing this closes it. */
    public HomeVerifier(HandleClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = client.settings().clock();
    }

    /** A verifier whose client starts from the top-level nodes {@code roots}. */
    public static HomeVerifier fromRoots(List<SiteInfo> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("no top-level node given");
        }
        HandleClient.Builder b = HandleClient.builder().operationTimeout(TIMEOUT).sessions(false);
        roots.forEach(b::site);
        return new HomeVerifier(b.build());
    }

    @Override
    public Outcome verify(ChallengeAnswer answer, byte[] nonce, byte[] digest) {
        ValueReference identity = new ValueReference(answer.identityHandle(), answer.identityIndex());
        Base64.Encoder b64 = Base64.getEncoder();
        String key = identity + " " + b64.encodeToString(nonce) + " " + b64.encodeToString(digest) + " "
                + b64.encodeToString(answer.signedResponse());
        long now = clock.millis();
        Verdict known = verdicts.get(key);
        if (known == null || known.expiresMillis() <= now) {
            boolean valid;
            try {
                valid = client.verifyChallenge(identity, nonce, new RequestDigest(0, digest), answer.signedResponse())
                        .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                return Outcome.refused(ResponseCode.AUTHEN_ERROR, "the home node of " + identity
                        + " could not check the answer: " + (c == null ? e : c).getMessage());
            } catch (TimeoutException e) {
                return Outcome.refused(ResponseCode.AUTHEN_ERROR, "the home node of " + identity
                        + " did not answer in " + TIMEOUT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.refused(ResponseCode.AUTHEN_ERROR, "interrupted while asking the home node of "
                        + identity);
            }
            known = new Verdict(valid, now + VERDICT_LIFETIME.toMillis());
            keep(key, known, now);
        }
        return known.valid() ? null : Outcome.refused(ResponseCode.AUTHENTICATION_FAILED, "the home node of "
                + identity + " says the answer does not prove it");
    }

    private void keep(String key, Verdict verdict, long now) {
        if (verdicts.size() >= MAX_VERDICTS) {
            for (Iterator<Verdict> it = verdicts.values().iterator(); it.hasNext();) {
                if (it.next().expiresMillis() <= now) {
                    it.remove();
                }
            }
            if (verdicts.size() >= MAX_VERDICTS) {
                verdicts.clear();
            }
        }
        verdicts.put(key, verdict);
    }

    @Override
    public void close() {
        client.close();
    }

    /** The {@link IdentityHomes.Factory} a node finds through {@link java.util.ServiceLoader}. */
    public static final class Factory implements IdentityHomes.Factory {
        @Override
        public IdentityHomes open(List<SiteInfo> roots) {
            return fromRoots(roots);
        }
    }
}
