package io.idnode.crypto.keys;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Public keys as JSON Web Keys, the {@code "format":"key"} value of the JSON API (handle-protocol.md §8) and
 * the {@code publicKey} claim of HS_CERT (§5.6): {@code kty} from the {@link SignatureAlgorithm} registry, the
 * members from the algorithm's {@link KeyEncoding} (RSA {@code n, e}; DSA {@code y, p, q, g}; each integer
 * base64url without padding of its minimal unsigned big-endian bytes). Thread-safe.
 */
public final class Jwk {
    private final CryptoProviders providers;

    /** JWKs whose keys are made by the engines {@code providers} assigns to each algorithm. */
    public Jwk(CryptoProviders providers) {
        this.providers = Objects.requireNonNull(providers, "providers");
    }

    /**
     * The JWK members of a public key, {@code kty} first, in the order the library writes them.
     *
     * @throws UnsupportedAlgorithmException if the key's algorithm has no registry entry (e.g. DH)
     */
    public Map<String, String> toJwk(PublicKey key) throws UnsupportedAlgorithmException {
        SignatureAlgorithm alg = SignatureAlgorithm.forKey(key);
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("kty", alg.jwkKeyType());
        jwk.putAll(KeyEncoding.of(alg).jwkMembers(key));
        return jwk;
    }

    /**
     * The public key of a JWK.
     *
     * @throws UnsupportedAlgorithmException if {@code kty} is missing or names no registry algorithm
     * @throws UnusableKeyException if a member is missing or malformed, or the engine refuses the key
     */
    public PublicKey fromJwk(Map<String, ?> jwk) throws UnsupportedAlgorithmException, UnusableKeyException {
        Object kty = jwk.get("kty");
        Optional<SignatureAlgorithm> found = kty instanceof String s ? SignatureAlgorithm.forJwkKeyType(s)
                : Optional.empty();
        if (found.isEmpty()) {
            throw new UnsupportedAlgorithmException("JWK kty " + (kty == null ? "missing" : "\"" + kty + "\"")
                    + " (" + SignatureAlgorithm.describe(SignatureAlgorithm::jwkKeyType) + " expected)");
        }
        SignatureAlgorithm alg = found.get();
        try {
            return providers.forAlgorithm(alg).keyFactory(alg.jcaKeyAlgorithm())
                    .generatePublic(KeyEncoding.of(alg).fromJwk(jwk));
        } catch (InvalidKeySpecException e) {
            throw new UnusableKeyException("invalid " + alg.jwkKeyType() + " JWK: " + e.getMessage());
        }
    }
}
