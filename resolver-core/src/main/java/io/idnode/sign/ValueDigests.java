package io.idnode.sign;

import io.idnode.codec.ValueCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The per-value digests of an HS_SIGNATURE (handle-protocol.md §5.6): the hash of each value's encoding
 * (§5.1) without its first 8 bytes (index and timestamp), so a value keeps its digest when the node restamps
 * it, and an answer filtered by type, index or read permission still verifies for the values it holds.
 * SHA-256 by default; {@code SM3} is read too (cn-extensions.md §5.1). Stateless.
 */
public final class ValueDigests {
    /** The digest algorithm signers write. */
    public static final String SHA_256 = "SHA-256";
    /** The SM3 digest some Chinese SDK data names. */
    public static final String SM3 = "SM3";

    private static final int INDEX_AND_TIMESTAMP = 8;

    private ValueDigests() {
    }

    /** True if a signature of the record should cover {@code v}: public-readable and not a signature itself. */
    public static boolean needsSignature(HandleValue v) {
        return v.isPublicReadable() && !v.hasType(ValueTypes.HS_SIGNATURE);
    }

    /** True if digests named {@code alg} can be computed. */
    public static boolean supports(String alg) {
        return canonical(alg) != null;
    }

    /**
     * The base64 (with padding) digest of {@code v} under {@code alg}.
     *
     * @throws IllegalArgumentException if {@link #supports} is false for {@code alg}
     */
    public static String digest(HandleValue v, String alg, CryptoProviders providers) {
        String name = canonical(alg);
        if (name == null) {
            throw new IllegalArgumentException("digest algorithm " + alg + " is not supported");
        }
        MessageDigest md = name.equals(SM3) ? providers.bouncyCastle().digest(SM3) : providers.jdk().digest(name);
        byte[] encoding = ValueCodec.encode(v);
        md.update(encoding, INDEX_AND_TIMESTAMP, encoding.length - INDEX_AND_TIMESTAMP);
        return Base64.getEncoder().encodeToString(md.digest());
    }

    /** The SHA-256 digests of the values of {@code values} that need a signature, in their order. */
    public static List<HandleClaims.ValueDigest> of(List<HandleValue> values, CryptoProviders providers) {
        List<HandleClaims.ValueDigest> out = new ArrayList<>(values.size());
        for (HandleValue v : values) {
            if (needsSignature(v)) {
                out.add(new HandleClaims.ValueDigest(v.index(), digest(v, SHA_256, providers)));
            }
        }
        return out;
    }

    private static String canonical(String alg) {
        String a = alg.toUpperCase(Locale.ROOT).replace("_", "-");
        return switch (a) {
            case "SHA-256", "SHA256" -> "SHA-256";
            case "SM3" -> SM3;
            default -> null;
        };
    }
}
