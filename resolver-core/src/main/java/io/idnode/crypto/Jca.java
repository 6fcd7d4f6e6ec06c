package io.idnode.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;

/**
 * Looks JCA engines up in an explicitly given provider, or in the JDK's configured providers when none is
 * given; nothing is ever installed globally. A missing algorithm is a {@link CryptoException}.
 */
final class Jca {
    private final Provider provider;

    Jca(Provider provider) {
        this.provider = provider;
    }

    Provider provider() {
        return provider;
    }

    Signature signature(String alg) {
        try {
            return provider == null ? Signature.getInstance(alg) : Signature.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    KeyFactory keyFactory(String alg) {
        try {
            return provider == null ? KeyFactory.getInstance(alg) : KeyFactory.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    KeyPairGenerator keyPairGenerator(String alg) {
        try {
            return provider == null ? KeyPairGenerator.getInstance(alg) : KeyPairGenerator.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    KeyAgreement keyAgreement(String alg) {
        try {
            return provider == null ? KeyAgreement.getInstance(alg) : KeyAgreement.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    MessageDigest digest(String alg) {
        try {
            return provider == null ? MessageDigest.getInstance(alg) : MessageDigest.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    Mac mac(String alg) {
        try {
            return provider == null ? Mac.getInstance(alg) : Mac.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    Cipher cipher(String alg) {
        try {
            return provider == null ? Cipher.getInstance(alg) : Cipher.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    SecretKeyFactory secretKeyFactory(String alg) {
        try {
            return provider == null ? SecretKeyFactory.getInstance(alg) : SecretKeyFactory.getInstance(alg, provider);
        } catch (GeneralSecurityException e) {
            throw missing(alg, e);
        }
    }

    private CryptoException missing(String alg, GeneralSecurityException e) {
        String where = provider == null ? "the JDK's providers" : "provider " + provider.getName();
        return new CryptoException(alg + " is not available from " + where, e);
    }
}
