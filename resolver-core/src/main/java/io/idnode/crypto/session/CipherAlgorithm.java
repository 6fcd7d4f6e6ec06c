package io.idnode.crypto.session;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.UnsupportedAlgorithmException;

/**
 * The session ciphers a SESSION_SETUP reply names by code (handle-protocol.md §6.5, §6.6; cn-extensions.md §4):
 * 1 DES, 2 DESede and 3 AES in CBC with a fresh IV sent in front of the ciphertext (PKCS#5 padding); 4 SM4 in
 * CBC with the key itself as IV, none sent (PKCS#7 padding). Keys longer than a cipher's key length are cut to
 * it (AES takes the first 16 bytes of a 32-byte session key).
 */
public enum CipherAlgorithm {
    /** 1: DES/CBC, 8-byte key, 8-byte IV sent. */
    DES(1, "DES", 8, 8, true),
    /** 2: DESede/CBC, 24-byte key, 8-byte IV sent. */
    DESEDE(2, "DESede", 24, 8, true),
    /** 3: AES/CBC, the first 16 key bytes, 16-byte IV sent (the stock default). */
    AES(3, "AES", 16, 16, true),
    /** 4: SM4/CBC, 16-byte key, IV = the key, not sent (the Chinese SDK's encrypted transport). */
    SM4(4, "SM4", 16, 16, false);

    private final int code;
    private final String jcaName;
    private final int keyLength;
    private final int blockLength;
    private final boolean ivSent;

    CipherAlgorithm(int code, String jcaName, int keyLength, int blockLength, boolean ivSent) {
        this.code = code;
        this.jcaName = jcaName;
        this.keyLength = keyLength;
        this.blockLength = blockLength;
        this.ivSent = ivSent;
    }

    /** The code a session-setup reply carries ({@code i32 cipherAlg}). */
    public int code() {
        return code;
    }

    /** The JCA secret-key algorithm, e.g. {@code AES}. */
    public String jcaName() {
        return jcaName;
    }

    /** Key bytes the cipher uses; a session key must have at least these many. */
    public int keyLength() {
        return keyLength;
    }

    /** Block length, which is also the IV length. */
    public int blockLength() {
        return blockLength;
    }

    /** Whether each message starts with its IV (DES, DESede, AES) or the IV is the key (SM4). */
    public boolean ivSent() {
        return ivSent;
    }

    /** The JCA transformation: CBC with PKCS#5/#7 padding. */
    String transformation() {
        return jcaName + "/CBC/" + (this == SM4 ? "PKCS7Padding" : "PKCS5Padding");
    }

    /** Which provider of {@code providers} has the cipher: BouncyCastle for SM4, the JDK for the others. */
    CryptoProviders.Source source() {
        return this == SM4 ? CryptoProviders.Source.BOUNCY_CASTLE : CryptoProviders.Source.JDK;
    }

    /**
     * The cipher with code {@code code}.
     *
     * @throws UnsupportedAlgorithmException for any other code
     */
    public static CipherAlgorithm forCode(int code) throws UnsupportedAlgorithmException {
        for (CipherAlgorithm a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw new UnsupportedAlgorithmException("session cipher code " + code
                + " is not one of 1 (DES), 2 (DESede), 3 (AES), 4 (SM4)");
    }
}
