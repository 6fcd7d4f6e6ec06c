package io.idnode.crypto.keys;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.dsaPublic;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import io.idnode.testing.Vectors;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JwkTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Jwk jwks = new Jwk(PROVIDERS);

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void everyRegistryAlgorithmRoundTripsThroughItsJwk(SignatureAlgorithm alg) throws Exception {
        PublicKey key = new KeyFiles(PROVIDERS).generate(alg, new SecureRandom()).getPublic();
        Map<String, String> jwk = jwks.toJwk(key);
        assertThat(jwk.get("kty")).isEqualTo(alg.jwkKeyType());
        assertThat(jwks.fromJwk(jwk)).isEqualTo(key);
    }

    @Test
    void sm2KeysGiveTheCnVectorJwkWithTheSpkiInD() throws Exception {
        for (String name : List.of("sm2_user", "sm2_root", "sm2_signer")) {
            JsonNode key = Vectors.file(Vectors.CN).path("keys").path(name);
            PublicKey sm2 = PROVIDERS.bouncyCastle().keyFactory("EC")
                    .generatePublic(new X509EncodedKeySpec(Vectors.hex(key.path("spki_der_hex").asText())));
            Map<String, String> jwk = jwks.toJwk(sm2);
            assertThat(MAPPER.writeValueAsString(jwk)).isEqualTo(key.path("jwk").asText());
            Map<String, Object> parsed = MAPPER.readValue(key.path("jwk").asText(), new TypeReference<>() { });
            assertThat(jwks.fromJwk(parsed)).isEqualTo(sm2);
        }
    }

    @Test
    void ed25519AndP256JwksAreThoseOfRfc8037AndRfc7518() throws Exception {
        // RFC 8037 §A.2: the public key of RFC 8032 §7.1 TEST 1.
        PublicKey ed = PROVIDERS.bouncyCastle().keyFactory("Ed25519").generatePublic(new X509EncodedKeySpec(
                Vectors.hex("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")));
        assertThat(jwks.toJwk(ed)).containsExactly(Map.entry("kty", "OKP"), Map.entry("crv", "Ed25519"),
                Map.entry("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"));
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        PublicKey p256 = gen.generateKeyPair().getPublic();
        Map<String, String> jwk = jwks.toJwk(p256);
        assertThat(jwk.keySet()).containsExactly("kty", "crv", "x", "y");
        assertThat(jwk.get("crv")).isEqualTo("P-256");
        assertThat(Base64.getUrlDecoder().decode(jwk.get("x"))).hasSize(32);
        Map<String, String> offCurve = new HashMap<>(jwk);
        offCurve.put("y", jwk.get("x"));
        assertThatThrownBy(() -> jwks.fromJwk(offCurve)).isInstanceOf(UnusableKeyException.class)
                .hasMessageContaining("not on curve secp256r1");
        Map<String, String> sm2Claimed = new HashMap<>(Map.of("kty", "SM2", "d",
                Base64.getUrlEncoder().withoutPadding().encodeToString(p256.getEncoded())));
        assertThatThrownBy(() -> jwks.fromJwk(sm2Claimed)).isInstanceOf(UnusableKeyException.class)
                .hasMessage("SM2 JWK d holds a EC/secp256r1 key");
    }

    @Test
    void rsaKeyGivesTheLibrarysJwkInOrder() throws Exception {
        JsonNode expected = Vectors.vector("hs_pubkey_rsa_data").get("json");
        Map<String, String> jwk = jwks.toJwk(rsaPublic());
        assertThat((JsonNode) MAPPER.valueToTree(jwk)).isEqualTo(expected);
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertThat(jwk.keySet()).containsExactlyElementsOf(names);
    }

    @Test
    void siteVectorCarriesTheSameJwk() throws Exception {
        JsonNode site = Vectors.vector("hs_site_data_127_0_0_1_2641").get("json");
        JsonNode key = site.path("servers").path(0).path("publicKey");
        assertThat(key.path("format").asText()).isEqualTo("key");
        assertThat((JsonNode) MAPPER.valueToTree(jwks.toJwk(rsaPublic()))).isEqualTo(key.path("value"));
    }

    @Test
    void vectorJwkParsesBackToTheKey() throws Exception {
        Map<String, Object> json = MAPPER.convertValue(Vectors.vector("hs_pubkey_rsa_data").get("json"),
                new TypeReference<Map<String, Object>>() { });
        PublicKey key = jwks.fromJwk(json);
        assertThat(key.getEncoded()).isEqualTo(Vectors.key("rsa_public_x509"));
    }

    @Test
    void dsaKeyRoundTripsWithMinimalUnsignedIntegers() throws Exception {
        Map<String, String> jwk = jwks.toJwk(dsaPublic());
        assertThat(jwk.keySet()).containsExactly("kty", "y", "p", "q", "g");
        // q is 0x00 0x97…: the JWK drops the sign byte, so it decodes to 20 bytes starting with 0x97.
        byte[] q = Base64.getUrlDecoder().decode(jwk.get("q"));
        assertThat(q).hasSize(20);
        assertThat(q[0]).isEqualTo((byte) 0x97);
        assertThat(jwk.values()).allSatisfy(v -> assertThat(v).doesNotContain("="));
        assertThat(jwks.fromJwk(jwk).getEncoded()).isEqualTo(Vectors.key("dsa_public_x509"));
    }

    @Test
    void badJwksAreTypedErrors() throws Exception {
        Map<String, Object> noN = new HashMap<>(jwks.toJwk(rsaPublic()));
        noN.remove("n");
        assertThatThrownBy(() -> jwks.fromJwk(noN)).isInstanceOf(UnusableKeyException.class)
                .hasMessage("JWK member \"n\" missing");
        Map<String, Object> ec = Map.of("kty", "EC", "x", "AQ");
        assertThatThrownBy(() -> jwks.fromJwk(ec)).isInstanceOf(UnusableKeyException.class)
                .hasMessage("JWK crv missing (\"P-256\" expected)");
        Map<String, Object> rsv = Map.of("kty", "RSV", "x", "AQ");
        assertThatThrownBy(() -> jwks.fromJwk(rsv)).isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("JWK kty \"RSV\" (RSA, DSA, EC, OKP or SM2 expected)");
        assertThatThrownBy(() -> jwks.fromJwk(Map.of("n", "AQ"))).isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessageContaining("kty missing");
        Map<String, Object> notBase64 = new HashMap<>(jwks.toJwk(rsaPublic()));
        notBase64.put("e", "!!");
        assertThatThrownBy(() -> jwks.fromJwk(notBase64)).isInstanceOf(UnusableKeyException.class)
                .hasMessageContaining("not base64url");
        Map<String, Object> number = new HashMap<>(jwks.toJwk(rsaPublic()));
        number.put("e", 65537);
        assertThatThrownBy(() -> jwks.fromJwk(number)).isInstanceOf(UnusableKeyException.class)
                .hasMessageContaining("not a string");
    }

    @Test
    void aKeyWithoutRegistryEntryHasNoJwk() throws Exception {
        PublicKey dh = new HandleKeyCodec(PROVIDERS).decodePublicKey(Vectors.key("dh_client_public_hs_encoding"));
        assertThatThrownBy(() -> jwks.toJwk(dh)).isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessageContaining("DH");
    }
}
