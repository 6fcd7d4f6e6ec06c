package io.idnode.crypto.keys;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.hex;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.ValueCodec;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import io.idnode.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HS_PUBKEY data in every form China's SDK writes (cn-extensions.md §2.2): untyped PEM (form A) for any registry
 * key, {@code SM2_PUB_KEY} with a DER or PEM field (form B), checked against the cn vectors byte for byte, and
 * the untyped form as the only HS_PUBKEY form of P-256 and Ed25519 keys.
 */
class HsPubkeyFormsTest {
    private static final HandleKeyCodec CODEC = new HandleKeyCodec(PROVIDERS);
    private static final JsonNode SM2_USER = Vectors.file(Vectors.CN).path("keys").path("sm2_user");

    @ParameterizedTest
    @ValueSource(strings = {"hs_pubkey_pem_untyped", "hs_pubkey_sm2_typed_pem", "hs_pubkey_sm2_typed_der"})
    void everySdkFormOfTheVectorKeyDecodesToIt(String vector) throws Exception {
        PublicKey key = CODEC.decodePublicKey(hex(Vectors.vector(Vectors.CN, vector), "data_hex"));
        assertThat(SignatureAlgorithm.forKey(key)).isEqualTo(SignatureAlgorithm.SM2);
        assertThat(key.getEncoded()).isEqualTo(Vectors.hex(SM2_USER.path("spki_der_hex").asText()));
    }

    @Test
    void sm2KeysAreWrittenTypedWithDerAndUntypedAsTheSdkWritesPem() throws Exception {
        PublicKey key = CODEC.decodePublicKey(hex(Vectors.vector(Vectors.CN, "hs_pubkey_sm2_typed_der"), "data_hex"));
        assertThat(CODEC.encodePublicKey(key))
                .isEqualTo(hex(Vectors.vector(Vectors.CN, "hs_pubkey_sm2_typed_der"), "data_hex"));
        byte[] untyped = hex(Vectors.vector(Vectors.CN, "hs_pubkey_pem_untyped"), "data_hex");
        assertThat(CODEC.encodePublicKeyPem(key)).isEqualTo(untyped);
        assertThat(new String(untyped, StandardCharsets.US_ASCII)).isEqualTo(SM2_USER.path("spki_pem").asText());
    }

    @Test
    void theIndex300IdentityValueCarriesTheUntypedKey() throws Exception {
        JsonNode v = Vectors.vector(Vectors.CN, "handle_value_hs_pubkey_untyped_300");
        HandleValue value = ValueCodec.decode(hex(v, "value_hex"));
        assertThat(value.index()).isEqualTo(300);
        assertThat(value.hasType(ValueTypes.HS_PUBKEY)).isTrue();
        assertThat(CODEC.decodePublicKey(value.data()).getEncoded())
                .isEqualTo(Vectors.hex(SM2_USER.path("spki_der_hex").asText()));
    }

    @Test
    void untypedPemAlsoCarriesRsaKeys() throws Exception {
        byte[] pem = CODEC.encodePublicKeyPem(rsaPublic());
        assertThat(new String(pem, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PUBLIC KEY-----\r\n");
        assertThat(CODEC.decodePublicKey(pem)).isEqualTo(rsaPublic());
    }

    @ParameterizedTest
    @EnumSource(value = SignatureAlgorithm.class, names = {"ECDSA_P256", "ED25519"})
    void keysWithoutHandleTypeAreWrittenAsUntypedPem(SignatureAlgorithm alg) throws Exception {
        KeyPair pair = new KeyFiles(PROVIDERS).generate(alg, new SecureRandom());
        byte[] data = CODEC.encodePublicKey(pair.getPublic());
        assertThat(new String(data, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PUBLIC KEY-----\r\n")
                .endsWith("-----END PUBLIC KEY-----\r\n");
        assertThat(data).isEqualTo(CODEC.encodePublicKeyPem(pair.getPublic()));
        PublicKey back = CODEC.decodePublicKey(data);
        assertThat(back).isEqualTo(pair.getPublic());
        assertThat(SignatureAlgorithm.forKey(back)).isEqualTo(alg);
    }

    @Test
    void badSm2DataIsRefusedWithAReason() throws Exception {
        byte[] der = hex(Vectors.vector(Vectors.CN, "hs_pubkey_sm2_typed_der"), "data_hex");
        byte[] offCurve = der.clone();
        offCurve[offCurve.length - 1] ^= 0x01; // last byte of y: the point leaves the curve
        assertThatThrownBy(() -> CODEC.decodePublicKey(offCurve)).isInstanceOf(UnusableKeyException.class)
                .hasMessageContaining("not on curve sm2p256v1");
        byte[] cut = Arrays.copyOf(der, der.length - 10);
        assertThatThrownBy(() -> CODEC.decodePublicKey(cut)).isInstanceOf(UnusableKeyException.class);

        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] p256 = gen.generateKeyPair().getPublic().getEncoded();
        byte[] typedP256 = new byte[der.length];
        System.arraycopy(der, 0, typedP256, 0, 4 + 11 + 2 + 4);
        System.arraycopy(p256, 0, typedP256, 4 + 11 + 2 + 4, p256.length);
        assertThatThrownBy(() -> CODEC.decodePublicKey(typedP256)).isInstanceOf(UnusableKeyException.class)
                .hasMessage("SM2_PUB_KEY field holds a EC/secp256r1 key");

        byte[] badArmour = "-----BEGIN CERTIFICATE-----\r\nAAAA\r\n-----END CERTIFICATE-----\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> CODEC.decodePublicKey(badArmour)).isInstanceOf(UnusableKeyException.class)
                .hasMessage("PEM block \"CERTIFICATE\", expected \"PUBLIC KEY\"");

        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        byte[] pem384 = ("-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder()
                .encodeToString(p384.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> CODEC.decodePublicKey(pem384)).isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessageContaining("on curve 1.3.132.0.34");
    }
}
