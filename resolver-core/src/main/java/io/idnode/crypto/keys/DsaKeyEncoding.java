package io.idnode.crypto.keys;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.UnusableKeyException;
import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.DSAParams;
import java.security.interfaces.DSAPrivateKey;
import java.security.interfaces.DSAPublicKey;
import java.security.spec.DSAPrivateKeySpec;
import java.security.spec.DSAPublicKeySpec;
import java.security.spec.KeySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DSA keys (§5.4): {@code DSA_PUB_KEY} q, p, g, y; {@code DSA_PRIV_KEY} x, p, q, g; JWK y, p, q, g. */
final class DsaKeyEncoding implements KeyEncoding {
    static final DsaKeyEncoding INSTANCE = new DsaKeyEncoding();

    private static final String PRIV = "DSA_PRIV_KEY";

    private DsaKeyEncoding() {
    }

    @Override
    public KeySpec readPublic(WireReader r) throws CodecException, UnusableKeyException {
        BigInteger q = KeyIntegers.read(r, "DSA q");
        BigInteger p = KeyIntegers.read(r, "DSA p");
        BigInteger g = KeyIntegers.read(r, "DSA g");
        BigInteger y = KeyIntegers.read(r, "DSA y");
        return new DSAPublicKeySpec(y, p, q, g);
    }

    @Override
    public void writePublic(PublicKey key, ByteBuf out) {
        DSAPublicKey dsa = KeyEncoding.fields(key, DSAPublicKey.class);
        DSAParams params = dsa.getParams();
        KeyIntegers.write(out, params.getQ(), params.getP(), params.getG(), dsa.getY());
    }

    @Override
    public List<String> privateKeyTypes() {
        return List.of(PRIV);
    }

    @Override
    public KeySpec readPrivate(String type, WireReader r) throws CodecException, UnusableKeyException {
        BigInteger x = KeyIntegers.read(r, "DSA x");
        BigInteger p = KeyIntegers.read(r, "DSA p");
        BigInteger q = KeyIntegers.read(r, "DSA q");
        BigInteger g = KeyIntegers.read(r, "DSA g");
        return new DSAPrivateKeySpec(x, p, q, g);
    }

    @Override
    public void writePrivate(PrivateKey key, ByteBuf out) {
        DSAPrivateKey dsa = KeyEncoding.fields(key, DSAPrivateKey.class);
        DSAParams params = dsa.getParams();
        WireWriter.str(out, PRIV);
        KeyIntegers.write(out, dsa.getX(), params.getP(), params.getQ(), params.getG());
    }

    @Override
    public Map<String, String> jwkMembers(PublicKey key) {
        DSAPublicKey dsa = KeyEncoding.fields(key, DSAPublicKey.class);
        DSAParams params = dsa.getParams();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("y", KeyIntegers.jwk(dsa.getY()));
        m.put("p", KeyIntegers.jwk(params.getP()));
        m.put("q", KeyIntegers.jwk(params.getQ()));
        m.put("g", KeyIntegers.jwk(params.getG()));
        return m;
    }

    @Override
    public KeySpec fromJwk(Map<String, ?> jwk) throws UnusableKeyException {
        return new DSAPublicKeySpec(KeyIntegers.fromJwk(jwk, "y"), KeyIntegers.fromJwk(jwk, "p"),
                KeyIntegers.fromJwk(jwk, "q"), KeyIntegers.fromJwk(jwk, "g"));
    }
}
