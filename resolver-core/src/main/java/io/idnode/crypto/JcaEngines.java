package io.idnode.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.SecretKeySpec;

/**
 * JCA engines from one provider choice of a {@link CryptoProviders}: one given provider instance, or the JDK's
 * configured providers in their order. Nothing is ever installed globally. A missing algorithm is a
 * {@link CryptoEngineException}. Immutable; each call returns a fresh engine.
 */
public final class JcaEngines {
    private final Provider provider;

    /** Engines from {@code provider}, or from the JDK's configured providers when it is {@code null}. */
    JcaEngines(Provider provider) {
        this.provider = provider;
    }

    /** A {@link Signature} engine, e.g. {@code SHA256withRSA}. */
    public Signature signature(String alg) {
        try {
            return provider == null ? Signature.getInstance(alg) : Signature.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    /** A {@link KeyFactory} for a JCA key algorithm, e.g. {@code RSA}. */
    public KeyFactory keyFactory(String alg) {
        try {
            return provider == null ? KeyFactory.getInstance(alg) : KeyFactory.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    /** A {@link KeyPairGenerator} for a JCA key algorithm. */
    public KeyPairGenerator keyPairGenerator(String alg) {
        try {
            return provider == null ? KeyPairGenerator.getInstance(alg) : KeyPairGenerator.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    /** A {@link KeyAgreement}, e.g. {@code DH}. */
    public KeyAgreement keyAgreement(String alg) {
        try {
            return provider == null ? KeyAgreement.getInstance(alg) : KeyAgreement.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    /** A {@link MessageDigest}, e.g. {@code SHA-256}. */
    public MessageDigest digest(String alg) {
        try {
            return provider == null ? MessageDigest.getInstance(alg) : MessageDigest.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    /** A {@link Mac}, e.g. {@code HmacSHA256}. */
    public Mac mac(String alg) {
        try {
            return provider == null ? Mac.getInstance(alg) : Mac.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    /** A {@link Cipher} for a transformation, e.g. {@code AES/CBC/PKCS5Padding}. */
    public Cipher cipher(String alg) {
        try {
            return provider == null ? Cipher.getInstance(alg) : Cipher.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    /** A {@link SecretKeyFactory}, e.g. {@code PBKDF2WithHmacSHA1}. */
    public SecretKeyFactory secretKeyFactory(String alg) {
        try {
            return provider == null ? SecretKeyFactory.getInstance(alg) : SecretKeyFactory.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    /** The HMAC ({@code alg}, e.g. {@code HmacSHA256}) of {@code data} under {@code key}, in one call. */
    public byte[] hmac(String alg, byte[] key, byte[] data) {
        Mac mac = mac(alg);
        try {
            mac.init(new SecretKeySpec(key, alg));
        } catch (InvalidKeyException e) {
            throw new CryptoEngineException(alg + " refused the key", e);
        }
        return mac.doFinal(data);
    }

    private CryptoEngineException missing(String alg, GeneralSecurityException e) {
        String where = provider == null ? "the JDK's providers" : "provider " + provider.getName();
        return new CryptoEngineException(alg + " is not available from " + where, e);
    }
}
