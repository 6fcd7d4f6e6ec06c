package io.idnode.crypto.keys;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnusableKeyException;
import io.netty.buffer.ByteBuf;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.KeySpec;
import java.util.List;
import java.util.Map;

/**
 * The key layouts of one {@link SignatureAlgorithm}: its Handle binary public and private encodings
 * (handle-protocol.md §5.4) and its JWK members (§8). {@link HandleKeyCodec} and {@link Jwk} frame them (key
 * type, flags, {@code kty}) and turn the key specs into keys with the algorithm's engines.
 */
interface KeyEncoding {
    /** The encoding of {@code algorithm}; a new registry entry needs its case here. */
    static KeyEncoding of(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case RSA -> RsaKeyEncoding.INSTANCE;
            case DSA -> DsaKeyEncoding.INSTANCE;
            case ECDSA_P256 -> EcKeyEncoding.INSTANCE;
            case ED25519 -> Ed25519KeyEncoding.INSTANCE;
            case SM2 -> Sm2KeyEncoding.INSTANCE;
        };
    }

    /** Reads the public key fields that follow {@code str keyType, u16 flags}. */
    KeySpec readPublic(WireReader r) throws CodecException, UnusableKeyException;

    /**
     * Writes the public key fields that follow {@code str keyType, u16 flags}, byte for byte as the library does.
     *
     * @throws IllegalArgumentException if the key does not expose its fields (e.g. it lives in a token)
     */
    void writePublic(PublicKey key, ByteBuf out);

    /** The private-key type names this encoding reads, the library's preferred one first. */
    List<String> privateKeyTypes();

    /** Reads the fields of a private key whose type string ({@code type}, one of {@link #privateKeyTypes}) was read. */
    KeySpec readPrivate(String type, WireReader r) throws CodecException, UnusableKeyException;

    /**
     * Writes a private key, type string first, as the library does.
     *
     * @throws IllegalArgumentException if the key does not expose its fields
     */
    void writePrivate(PrivateKey key, ByteBuf out);

    /**
     * The JWK members of a public key after {@code kty}, in the order the library writes them.
     *
     * @throws IllegalArgumentException if the key does not expose its fields
     */
    Map<String, String> jwkMembers(PublicKey key);

    /** The key spec of a JWK whose {@code kty} named this algorithm. */
    KeySpec fromJwk(Map<String, ?> jwk) throws UnusableKeyException;

    /** {@code key} as the JCA interface that exposes its fields, e.g. {@code RSAPublicKey}. */
    static <T extends Key> T fields(Key key, Class<T> type) {
        if (!type.isInstance(key)) {
            throw new IllegalArgumentException(key.getAlgorithm() + " key of class " + key.getClass().getName()
                    + " does not expose its fields");
        }
        return type.cast(key);
    }
}
