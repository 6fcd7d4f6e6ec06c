package io.idnode.server;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.KeyFiles;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kind of key that signs the node's replies to certified requests (handle-protocol.md §2.3), chosen with
 * {@code --key-type} and made at first start. Stock clients 9.3.1 verify RSA and DSA server keys only (§5.4:
 * {@code RSA_PUB_KEY}, {@code DSA_PUB_KEY}); a P-256 key serves clients that know it (the SDK). Ed25519 is no
 * node key type: a credential names its hash (§2.3) and the protocol defines none for Ed25519.
 */
public enum NodeKeyType {
    /** RSA 2048: every Handle client verifies it. */
    RSA(SignatureAlgorithm.RSA),
    /** DSA 2048 (224-bit q), SHA-256 signatures: stock clients verify it at protocol 2.11. */
    DSA(SignatureAlgorithm.DSA),
    /** ECDSA on P-256 with SHA-256 (DER signatures); HS_SITE holds the key as untyped PEM. */
    EC(SignatureAlgorithm.ECDSA_P256);

    private final SignatureAlgorithm algorithm;

    NodeKeyType(SignatureAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** The registry algorithm of keys of this type. */
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /** The name on the command line and in the defaults file: {@code rsa}, {@code dsa}... */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code text} (any case), or an {@link InvalidSettingException} listing the names. */
    public static NodeKeyType parse(String text) {
        for (NodeKeyType t : values()) {
            if (t.optionName().equalsIgnoreCase(text.strip())) {
                return t;
            }
        }
        throw new InvalidSettingException("key-type", "must be one of " + Arrays.stream(values())
                .map(NodeKeyType::optionName).collect(Collectors.joining(", ")) + ", was '" + text + "'");
    }

    /** The type whose keys are of {@code algorithm}, if one is. */
    public static Optional<NodeKeyType> of(SignatureAlgorithm algorithm) {
        return Arrays.stream(values()).filter(t -> t.algorithm == algorithm).findFirst();
    }

    /** A fresh key pair of this type, made by the engines {@code providers} assigns to its algorithm. */
    public KeyPair generate(CryptoProviders providers, SecureRandom random) {
        return new KeyFiles(providers).generate(algorithm, random);
    }
}
