package io.idnode.crypto.keys;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.UnusableKeyException;
import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.KeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RSA keys (§5.4): {@code RSA_PUB_KEY} e then n (the library appends four zero bytes); {@code RSA_PRIVCRT_KEY}
 * n, e, d, p, q, dp, dq, qinv, or {@code RSA_PRIV_KEY} n, d when the CRT factors are unknown; JWK n, e.
 */
final class RsaKeyEncoding implements KeyEncoding {
    static final RsaKeyEncoding INSTANCE = new RsaKeyEncoding();

    private static final String PRIVCRT = "RSA_PRIVCRT_KEY";
    private static final String PRIV = "RSA_PRIV_KEY";

    private RsaKeyEncoding() {
    }

    @Override
    public KeySpec readPublic(WireReader r) throws CodecException, UnusableKeyException {
        BigInteger e = KeyIntegers.read(r, "RSA exponent");
        BigInteger n = KeyIntegers.read(r, "RSA modulus");
        return new RSAPublicKeySpec(n, e);
    }

    @Override
    public void writePublic(PublicKey key, ByteBuf out) {
        RSAPublicKey rsa = KeyEncoding.fields(key, RSAPublicKey.class);
        KeyIntegers.write(out, rsa.getPublicExponent(), rsa.getModulus());
        out.writeInt(0);
    }

    @Override
    public List<String> privateKeyTypes() {
        return List.of(PRIVCRT, PRIV);
    }

    @Override
    public KeySpec readPrivate(String type, WireReader r) throws CodecException, UnusableKeyException {
        BigInteger n = KeyIntegers.read(r, "RSA modulus");
        if (type.equals(PRIV)) {
            return new RSAPrivateKeySpec(n, KeyIntegers.read(r, "RSA private exponent"));
        }
        BigInteger e = KeyIntegers.read(r, "RSA public exponent");
        BigInteger d = KeyIntegers.read(r, "RSA private exponent");
        BigInteger p = KeyIntegers.read(r, "RSA prime p");
        BigInteger q = KeyIntegers.read(r, "RSA prime q");
        BigInteger dp = KeyIntegers.read(r, "RSA exponent dp");
        BigInteger dq = KeyIntegers.read(r, "RSA exponent dq");
        BigInteger qinv = KeyIntegers.read(r, "RSA coefficient");
        return new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qinv);
    }

    @Override
    public void writePrivate(PrivateKey key, ByteBuf out) {
        if (key instanceof RSAPrivateCrtKey crt) {
            WireWriter.str(out, PRIVCRT);
            KeyIntegers.write(out, crt.getModulus(), crt.getPublicExponent(), crt.getPrivateExponent(),
                    crt.getPrimeP(), crt.getPrimeQ(), crt.getPrimeExponentP(), crt.getPrimeExponentQ(),
                    crt.getCrtCoefficient());
        } else {
            RSAPrivateKey rsa = KeyEncoding.fields(key, RSAPrivateKey.class);
            WireWriter.str(out, PRIV);
            KeyIntegers.write(out, rsa.getModulus(), rsa.getPrivateExponent());
        }
    }

    @Override
    public Map<String, String> jwkMembers(PublicKey key) {
        RSAPublicKey rsa = KeyEncoding.fields(key, RSAPublicKey.class);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("n", KeyIntegers.jwk(rsa.getModulus()));
        m.put("e", KeyIntegers.jwk(rsa.getPublicExponent()));
        return m;
    }

    @Override
    public KeySpec fromJwk(Map<String, ?> jwk) throws UnusableKeyException {
        return new RSAPublicKeySpec(KeyIntegers.fromJwk(jwk, "n"), KeyIntegers.fromJwk(jwk, "e"));
    }
}
