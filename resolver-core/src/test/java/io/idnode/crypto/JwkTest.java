package io.idnode.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.codec.CodecException;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.Vectors;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwkTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void rsaKeyGivesTheLibrarysJwkInOrder() {
        JsonNode expected = Vectors.vector("hs_pubkey_rsa_data").get("json");
        Map<String, String> jwk = Jwk.toJwk(Fixtures.rsaPublic());
        assertThat((JsonNode) MAPPER.valueToTree(jwk)).isEqualTo(expected);
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertThat(jwk.keySet()).containsExactlyElementsOf(names);
    }

    @Test
    void siteVectorCarriesTheSameJwk() {
        JsonNode site = Vectors.vector("hs_site_data_127_0_0_1_2641").get("json");
        JsonNode key = site.path("servers").path(0).path("publicKey");
        assertThat(key.path("format").asText()).isEqualTo("key");
        assertThat((JsonNode) MAPPER.valueToTree(Jwk.toJwk(Fixtures.rsaPublic()))).isEqualTo(key.path("value"));
    }

    @Test
    void vectorJwkParsesBackToTheKey() throws Exception {
        Map<String, Object> json = MAPPER.convertValue(Vectors.vector("hs_pubkey_rsa_data").get("json"),
                new TypeReference<Map<String, Object>>() { });
        PublicKey key = Jwk.fromJwk(json);
        assertThat(key.getEncoded()).isEqualTo(Vectors.key("rsa_public_x509"));
    }

    @Test
    void dsaKeyRoundTripsWithMinimalUnsignedIntegers() throws Exception {
        Map<String, String> jwk = Jwk.toJwk(Fixtures.dsaPublic());
        assertThat(jwk.keySet()).containsExactly("kty", "y", "p", "q", "g");
        // q is 0x00 0x97…: the JWK drops the sign byte, so it decodes to 20 bytes starting with 0x97.
        byte[] q = Base64.getUrlDecoder().decode(jwk.get("q"));
        assertThat(q).hasSize(20);
        assertThat(q[0]).isEqualTo((byte) 0x97);
        assertThat(jwk.values()).allSatisfy(v -> assertThat(v).doesNotContain("="));
        assertThat(Jwk.fromJwk(jwk).getEncoded()).isEqualTo(Vectors.key("dsa_public_x509"));
    }

    @Test
    void badJwksAreInvalidValueErrors() {
        Map<String, Object> noN = new HashMap<>(Jwk.toJwk(Fixtures.rsaPublic()));
        noN.remove("n");
        assertThatThrownBy(() -> Jwk.fromJwk(noN)).isInstanceOf(CodecException.class).hasMessageContaining("\"n\"")
                .extracting(e -> ((CodecException) e).responseCode()).isEqualTo(ResponseCode.INVALID_VALUE);
        Map<String, Object> ec = Map.of("kty", "EC", "x", "AQ");
        assertThatThrownBy(() -> Jwk.fromJwk(ec)).isInstanceOf(CodecException.class).hasMessageContaining("EC");
        Map<String, Object> notBase64 = new HashMap<>(Jwk.toJwk(Fixtures.rsaPublic()));
        notBase64.put("e", "!!");
        assertThatThrownBy(() -> Jwk.fromJwk(notBase64)).isInstanceOf(CodecException.class);
        Map<String, Object> number = new HashMap<>(Jwk.toJwk(Fixtures.rsaPublic()));
        number.put("e", 65537);
        assertThatThrownBy(() -> Jwk.fromJwk(number)).isInstanceOf(CodecException.class)
                .hasMessageContaining("not a string");
    }
}
