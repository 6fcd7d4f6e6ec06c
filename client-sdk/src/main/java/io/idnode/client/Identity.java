package io.idnode.client;

import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.ValueReference;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;

/**
 * Who the client acts as when it administers: an identity {@code index:handle} (e.g. {@code 300:0.NA/88.100.1})
 * holding an HS_PUBKEY or HS_SECKEY value, and the key that proves it in a challenge answer
 * (handle-protocol.md §6.2). The node looks the identity up and checks its HS_ADMIN permissions (§5.2).
 */
public sealed interface Identity permits PrivateKeyIdentity, SecretKeyIdentity {

    /** The identity, {@code index:handle}. */
    ValueReference reference();

    /**
     * An identity proven with a private key whose public half is in its HS_PUBKEY value: any key of the
     * algorithm registry that makes challenge answers ({@link io.idnode.crypto.SignatureAlgorithm}: RSA, DSA,
     * ECDSA P-256, SM2; an SM2 key signs as China's SDK does, with the identity handle as SM2 user ID,
     * cn-extensions.md §3.2).
     *
     * @throws IllegalArgumentException if the key's algorithm cannot make Handle signatures
     */
    static PrivateKeyIdentity of(ValueReference reference, PrivateKey key) {
        return new PrivateKeyIdentity(reference, key);
    }

    /**
     * An identity {@code "index:handle"} proven with the private key in {@code pemFile}: PKCS#8 PEM (the form
     * {@code idnode serve} writes as {@code keys/admin.pem}, and the SM2 key files of China's SDK), or an
     * unencrypted Handle private-key file such as {@code admpriv.bin} (§5.4).
     *
     * @throws IOException if the file cannot be read or holds no usable private key; the message names the file
     * @throws IllegalArgumentException if {@code identity} is not {@code index:handle}
     */
    static PrivateKeyIdentity fromPemFile(String identity, Path pemFile) throws IOException {
        ValueReference reference = parseReference(identity);
        return new PrivateKeyIdentity(reference, new KeyFiles(ClientCrypto.providers()).readPrivateKey(pemFile, null));
    }

    /**
     * An identity proven with a secret key equal to its HS_SECKEY value (§5.4); the array is copied.
     */
    static SecretKeyIdentity of(ValueReference reference, byte[] secret) {
        return new SecretKeyIdentity(reference, secret);
    }

    /**
     * Parses {@code index:handle}, e.g. {@code 300:0.NA/88.100.1}.
     *
     * @throws IllegalArgumentException naming the text if it is not a positive index, a colon and a handle
     */
    static ValueReference parseReference(String text) {
        int colon = text.indexOf(':');
        if (colon > 0 && colon < text.length() - 1) {
            try {
                int index = Integer.parseInt(text.substring(0, colon));
                if (index >= 0) {
                    return new ValueReference(text.substring(colon + 1), index);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("identity must be INDEX:HANDLE, e.g. 300:0.NA/88.100.1, was '" + text + "'");
    }
}
