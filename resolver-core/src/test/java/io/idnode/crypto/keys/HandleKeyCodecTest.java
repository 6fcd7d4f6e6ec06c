package io.idnode.crypto.keys;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.dsaPrivate;
import static io.idnode.crypto.CryptoFixtures.dsaPublic;
import static io.idnode.crypto.CryptoFixtures.hex;
import static io.idnode.crypto.CryptoFixtures.publicKey;
import static io.idnode.crypto.CryptoFixtures.rsaPrivate;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import io.idnode.crypto.WrongPassphraseException;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateKeySpec;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.interfaces.DHPublicKey;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandleKeyCodecTest {
    private final HandleKeyCodec codec = new HandleKeyCodec(PROVIDERS);

    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"RSA", "DSA"})
    void everyStockAlgorithmRoundTripsThroughItsHandleEncodings(SignatureAlgorithm alg) throws Exception {
        KeyPairGenerator gen = PROVIDERS.forAlgorithm(alg).keyPairGenerator(alg.jcaKeyAlgorithm());
        gen.initialize(alg == SignatureAlgorithm.DSA ? 1024 : 2048);
        KeyPair pair = gen.generateKeyPair();
        byte[] data = codec.encodePublicKey(pair.getPublic());
        assertThat(new WireReader(data).str("key type")).isEqualTo(alg.handleKeyType().orElseThrow());
        assertThat(codec.decodePublicKey(data)).isEqualTo(pair.getPublic());
        byte[] file = codec.encodePrivateKeyFile(pair.getPrivate(), "pass".toCharArray(), new SecureRandom());
        PrivateKey back = codec.decodePrivateKeyFile(file, "pass".toCharArray());
        assertThat(back.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(SignatureAlgorithm.forKey(back)).isEqualTo(alg);
    }

    @Test
    void decodesRsaPubkeyDataToTheVectorKey() throws Exception {
        PublicKey key = codec.decodePublicKey(hex(Vectors.vector("hs_pubkey_rsa_data"), "data_hex"));
        assertThat(key.getAlgorithm()).isEqualTo("RSA");
        assertThat(key.getEncoded()).isEqualTo(Vectors.key("rsa_public_x509"));
    }

    @Test
    void encodesRsaPublicKeyByteForByteIncludingTheLibraryPadding() {
        byte[] expected = hex(Vectors.vector("hs_pubkey_rsa_data"), "data_hex");
        assertThat(codec.encodePublicKey(rsaPublic())).isEqualTo(expected);
        assertThat(expected).isEqualTo(Vectors.key("rsa_public_hs_encoding"));
    }

    @Test
    void acceptsRsaPubkeyWithoutTheTrailingZeroInt() throws Exception {
        byte[] data = Vectors.key("rsa_public_hs_encoding");
        byte[] trimmed = Arrays.copyOf(data, data.length - 4);
        assertThat(codec.decodePublicKey(trimmed).getEncoded()).isEqualTo(Vectors.key("rsa_public_x509"));
    }

    @Test
    void decodesAndEncodesDsaPubkeyData() throws Exception {
        byte[] data = hex(Vectors.vector("hs_pubkey_dsa_data"), "data_hex");
        PublicKey key = codec.decodePublicKey(data);
        assertThat(key.getAlgorithm()).isEqualTo("DSA");
        assertThat(key.getEncoded()).isEqualTo(Vectors.key("dsa_public_x509"));
        assertThat(codec.encodePublicKey(dsaPublic())).isEqualTo(data);
    }

    @Test
    void decodesAndEncodesDhPublicKeysOfTheSessionVectors() throws Exception {
        for (String side : new String[] {"client", "server"}) {
            byte[] data = Vectors.key("dh_" + side + "_public_hs_encoding");
            PublicKey key = codec.decodePublicKey(data);
            assertThat(key).isInstanceOf(DHPublicKey.class);
            PublicKey jdk = publicKey("DH", "dh_" + side + "_public_x509");
            assertThat(((DHPublicKey) key).getY()).isEqualTo(((DHPublicKey) jdk).getY());
            assertThat(((DHPublicKey) key).getParams().getP()).isEqualTo(((DHPublicKey) jdk).getParams().getP());
            assertThat(((DHPublicKey) key).getParams().getG()).isEqualTo(((DHPublicKey) jdk).getParams().getG());
            assertThat(codec.encodePublicKey(jdk)).isEqualTo(data);
        }
    }

    @Test
    void rsaCrtPrivateKeyRoundTripsAgainstPkcs8() throws Exception {
        byte[] hs = Vectors.key("rsa_private_hs_encoding");
        PrivateKey key = codec.decodePrivateKey(hs);
        assertThat(key).isInstanceOf(RSAPrivateCrtKey.class);
        assertThat(key.getEncoded()).isEqualTo(Vectors.key("rsa_private_pkcs8"));
        assertThat(codec.encodePrivateKey(rsaPrivate())).isEqualTo(hs);
    }

    @Test
    void dsaPrivateKeyRoundTripsAgainstPkcs8() throws Exception {
        byte[] hs = Vectors.key("dsa_private_hs_encoding");
        PrivateKey key = codec.decodePrivateKey(hs);
        assertThat(key.getAlgorithm()).isEqualTo("DSA");
        assertThat(key.getEncoded()).isEqualTo(Vectors.key("dsa_private_pkcs8"));
        assertThat(codec.encodePrivateKey(dsaPrivate())).isEqualTo(hs);
    }

    @Test
    void plainRsaPrivateKeyWithoutCrtFactorsRoundTripsAndSigns() throws Exception {
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) rsaPrivate();
        PrivateKey plain = KeyFactory.getInstance("RSA")
                .generatePrivate(new RSAPrivateKeySpec(crt.getModulus(), crt.getPrivateExponent()));
        byte[] enc = codec.encodePrivateKey(plain);
        assertThat(new String(enc, 4, 12, "US-ASCII")).isEqualTo("RSA_PRIV_KEY");

        PrivateKey back = codec.decodePrivateKey(enc);
        assertThat(back).isNotInstanceOf(RSAPrivateCrtKey.class);
        assertThat(((RSAPrivateKey) back).getPrivateExponent()).isEqualTo(crt.getPrivateExponent());
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(back);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(rsaPublic());
        v.update(new byte[] {1, 2, 3});
        assertThat(v.verify(sig)).isTrue();
    }

    @Test
    void unknownPublicKeyTypeIsUnsupportedNamingTheTypeAndTheKnownOnes() {
        byte[] data = encoded("EC_PUB_KEY", true, new byte[] {1}, new byte[] {2});
        assertThatThrownBy(() -> codec.decodePublicKey(data))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("unknown public key type \"EC_PUB_KEY\" (expected RSA_PUB_KEY, DSA_PUB_KEY, SM2_PUB_KEY or DH_PUB_KEY)");
    }

    @Test
    void unknownPrivateKeyTypeIsUnsupportedNamingTheTypeAndTheKnownOnes() {
        byte[] data = encoded("EC_PRIV_KEY", false, new byte[] {1});
        assertThatThrownBy(() -> codec.decodePrivateKey(data))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("unknown private key type \"EC_PRIV_KEY\" (expected RSA_PRIVCRT_KEY, RSA_PRIV_KEY or "
                        + "DSA_PRIV_KEY)");
    }

    @Test
    void rejectsKeyIntegersLargerThanTheLimitBeforeUsingThem() {
        byte[] huge = new byte[HandleKeyCodec.MAX_KEY_BITS / 8 + 2];
        huge[1] = 1;
        byte[] data = encoded(SignatureAlgorithm.RSA.handleKeyType().orElseThrow(), true, new byte[] {1, 0, 1}, huge);
        assertThatThrownBy(() -> codec.decodePublicKey(data)).isInstanceOf(UnusableKeyException.class)
                .hasMessageContaining("RSA modulus");
    }

    @Test
    void rejectsEmptyModulus() {
        byte[] data = encoded(SignatureAlgorithm.RSA.handleKeyType().orElseThrow(), true, new byte[] {1, 0, 1}, new byte[0]);
        assertThatThrownBy(() -> codec.decodePublicKey(data))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessage("RSA modulus is zero or empty");
    }

    @Test
    void everyTruncationOfEveryVectorKeyIsAnUnusableKey() {
        for (String name : new String[] {"rsa_public_hs_encoding", "dsa_public_hs_encoding",
            "dh_client_public_hs_encoding"}) {
            byte[] data = Vectors.key(name);
            int minimal = name.startsWith("rsa") ? data.length - 4 : data.length;
            for (int n = 0; n < minimal; n++) {
                byte[] prefix = Arrays.copyOf(data, n);
                assertThatThrownBy(() -> codec.decodePublicKey(prefix)).as(name + " cut at " + n)
                        .isInstanceOf(UnusableKeyException.class);
            }
        }
        for (String name : new String[] {"rsa_private_hs_encoding", "dsa_private_hs_encoding"}) {
            byte[] data = Vectors.key(name);
            for (int n = 0; n < data.length; n++) {
                byte[] prefix = Arrays.copyOf(data, n);
                assertThatThrownBy(() -> codec.decodePrivateKey(prefix)).as(name + " cut at " + n)
                        .isInstanceOf(UnusableKeyException.class);
            }
        }
    }

    @Property(tries = 300)
    void randomBytesGiveAKeyOrAVerdictOnly(@ForAll @Size(max = 300) byte[] data) {
        try {
            codec.decodePublicKey(data);
        } catch (UnsupportedAlgorithmException | UnusableKeyException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            codec.decodePrivateKey(data);
        } catch (UnsupportedAlgorithmException | UnusableKeyException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Test
    void mutatedVectorKeysGiveAKeyOrAVerdictOnly() {
        Random random = new Random(42);
        byte[] base = Vectors.key("dsa_public_hs_encoding");
        for (int i = 0; i < 500; i++) {
            byte[] data = base.clone();
            data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            try {
                codec.decodePublicKey(data);
            } catch (UnsupportedAlgorithmException | UnusableKeyException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void unencryptedKeyFileRoundTrips() throws Exception {
        byte[] file = codec.encodePrivateKeyFile(rsaPrivate());
        assertThat(ByteBuffer.wrap(file).getInt()).isEqualTo(HandleKeyCodec.FILE_UNENCRYPTED);
        assertThat(Arrays.copyOfRange(file, 4, file.length)).isEqualTo(Vectors.key("rsa_private_hs_encoding"));
        assertThat(codec.decodePrivateKeyFile(file, null).getEncoded()).isEqualTo(Vectors.key("rsa_private_pkcs8"));
    }

    @Test
    void encryptedKeyFileRoundTripsWithItsPassphrase() throws Exception {
        char[] pass = "correct horse".toCharArray();
        byte[] file = codec.encodePrivateKeyFile(dsaPrivate(), pass, new SecureRandom());
        ByteBuffer b = ByteBuffer.wrap(file);
        assertThat(b.getInt()).isEqualTo(HandleKeyCodec.FILE_PBKDF2_AES);
        assertThat(b.getInt()).isEqualTo(16);
        b.position(b.position() + 16);
        assertThat(b.getInt()).isEqualTo(HandleKeyCodec.FILE_ITERATIONS);
        assertThat(b.getInt()).isEqualTo(HandleKeyCodec.FILE_KEY_BITS);
        assertThat(b.getInt()).isEqualTo(16);

        assertThat(codec.decodePrivateKeyFile(file, pass).getEncoded()).isEqualTo(Vectors.key("dsa_private_pkcs8"));
    }

    @Test
    void encryptedKeyFileWithNonAsciiPassphraseRoundTrips() throws Exception {
        char[] pass = "pässwörd-ключ".toCharArray();
        byte[] file = codec.encodePrivateKeyFile(rsaPrivate(), pass, new SecureRandom());
        assertThat(codec.decodePrivateKeyFile(file, pass).getEncoded()).isEqualTo(Vectors.key("rsa_private_pkcs8"));
    }

    @Test
    void wrongOrMissingPassphraseFailsClearly() throws Exception {
        byte[] file = codec.encodePrivateKeyFile(rsaPrivate(), "right".toCharArray(), new SecureRandom());
        assertThatThrownBy(() -> codec.decodePrivateKeyFile(file, "wrong".toCharArray()))
                .isInstanceOf(WrongPassphraseException.class)
                .hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> codec.decodePrivateKeyFile(file, null))
                .isInstanceOf(WrongPassphraseException.class)
                .hasMessageContaining("no passphrase");
    }

    @Test
    void legacyDesKeyFilesAreRefusedByName() {
        byte[] file = {0, 0, 0, 2, 1, 2, 3, 4};
        assertThatThrownBy(() -> codec.decodePrivateKeyFile(file, "x".toCharArray()))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessageContaining("not supported");
    }

    @Test
    void encryptedKeyFileWithAbsurdIterationCountIsRefused() throws Exception {
        byte[] file = codec.encodePrivateKeyFile(rsaPrivate(), "p".toCharArray(), new SecureRandom());
        ByteBuffer.wrap(file).putInt(4 + 4 + 16, Integer.MAX_VALUE);
        assertThatThrownBy(() -> codec.decodePrivateKeyFile(file, "p".toCharArray()))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessageContaining("iteration");
    }

    @Test
    void encodingAnUnsupportedKeyTypeIsRefused() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(384);
        PublicKey ec = gen.generateKeyPair().getPublic();
        assertThatThrownBy(() -> codec.encodePublicKey(ec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no Handle encoding for EC public keys (RSA, DSA, EC/secp256r1, Ed25519, EC/sm2p256v1 or DH only)");
    }

    @Test
    void integersAreWrittenAsJavaTwosComplement() throws Exception {
        byte[] data = Vectors.key("rsa_public_hs_encoding");
        PublicKey key = codec.decodePublicKey(data);
        BigInteger n = ((RSAPublicKey) key).getModulus();
        // The modulus has its top bit set, so the library's toByteArray() adds a 0x00: 129 bytes, not 128.
        assertThat(n.bitLength()).isEqualTo(1024);
        assertThat(ByteBuffer.wrap(data).getInt(4 + 11 + 2 + 4 + 3)).isEqualTo(129);
    }

    private static byte[] encoded(String type, boolean flags, byte[]... fields) {
        ByteBuf out = Unpooled.buffer();
        try {
            WireWriter.str(out, type);
            if (flags) {
                out.writeShort(0);
            }
            for (byte[] f : fields) {
                WireWriter.bytes(out, f);
            }
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
