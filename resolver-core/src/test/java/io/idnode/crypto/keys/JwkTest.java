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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JwkTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Jwk jwks = new Jwk(PROVIDERS);

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void everyRegistryAlgorithmRoundTripsThroughItsJwk(SignatureAlgorithm alg) throws Exception {
        KeyPairGenerator gen = PROVIDERS.forAlgorithm(alg).keyPairGenerator(alg.jcaKeyAlgorithm());
        gen.initialize(alg == SignatureAlgorithm.DSA ? 1024 : 2048);
        PublicKey key = gen.generateKeyPair().getPublic();
        Map<String, String> jwk = jwks.toJwk(key);
        assertThat(jwk.get("kty")).isEqualTo(alg.jwkKeyType());
        assertThat(jwks.fromJwk(jwk)).isEqualTo(key);
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
        assertThatThrownBy(() -> jwks.fromJwk(ec)).isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("JWK kty \"EC\" (RSA or DSA expected)");
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
