package io.idnode.crypto.session;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.credential;
import static io.idnode.crypto.CryptoFixtures.envelope;
import static io.idnode.crypto.CryptoFixtures.headerAndBody;
import static io.idnode.crypto.CryptoFixtures.hex;
import static io.idnode.crypto.CryptoFixtures.privateKey;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.UnusableKeyException;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.protocol.Credential;
import io.idnode.testing.Vectors;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHPublicKeySpec;
import org.junit.jupiter.api.Test;

class SessionKeysTest {
    private final SessionKeys keys = new SessionKeys(PROVIDERS);
    private final HandleKeyCodec codec = new HandleKeyCodec(PROVIDERS);
    private final JsonNode derivation = Vectors.vector("session_key_derivation_dh_aes");

    private PublicKey clientPublic() throws CryptoException {
        return codec.decodePublicKey(Vectors.key("dh_client_public_hs_encoding"));
    }

    private PublicKey serverPublic() throws CryptoException {
        return codec.decodePublicKey(Vectors.key("dh_server_public_hs_encoding"));
    }

    @Test
    void serverSideWithTheVectorKeysDerivesTheVectorSessionKey() throws Exception {
        PrivateKey server = privateKey("DH", "dh_server_private_pkcs8");
        assertThat(Vectors.toHex(keys.agree(server, clientPublic())))
                .isEqualTo(derivation.get("session_key_hex").asText());
    }

    @Test
    void clientSideWithTheVectorKeysDerivesTheSameKey() throws Exception {
        PrivateKey client = privateKey("DH", "dh_client_private_pkcs8");
        assertThat(Vectors.toHex(keys.agree(client, serverPublic())))
                .isEqualTo(derivation.get("session_key_hex").asText());
    }

    @Test
    void sessionKeyOfTheVectorSecret() {
        byte[] secret = hex(derivation, "shared_secret_hex");
        assertThat(Vectors.toHex(SessionKeys.sessionKeyFromSecret(secret)))
                .isEqualTo(derivation.get("session_key_hex").asText());
    }

    @Test
    void leadingZerosAreSkippedOnlyWhileMoreThan32BytesRemain() {
        byte[] secret = new byte[128];
        for (int i = 3; i < secret.length; i++) {
            secret[i] = (byte) i;
        }
        assertThat(SessionKeys.sessionKeyFromSecret(secret)).isEqualTo(Arrays.copyOfRange(secret, 3, 35));

        byte[] shortSecret = new byte[33];
        shortSecret[2] = 7;
        // Only one zero may go: after it exactly 32 bytes remain, starting with the second zero.
        assertThat(SessionKeys.sessionKeyFromSecret(shortSecret)).isEqualTo(Arrays.copyOfRange(shortSecret, 1, 33));

        byte[] allZero = new byte[40];
        assertThat(SessionKeys.sessionKeyFromSecret(allZero)).hasSize(32);
    }

    @Test
    void serverExchangeAnswersInTheClientsGroupAndAgreesWithTheClient() throws Exception {
        SessionKeys.ServerExchange ex = keys.serverExchange(clientPublic(), new SecureRandom());
        DHPublicKey server = ex.serverPublicKey();
        DHPublicKey client = (DHPublicKey) clientPublic();
        assertThat(server.getParams().getP()).isEqualTo(client.getParams().getP());
        assertThat(server.getParams().getG()).isEqualTo(client.getParams().getG());
        assertThat(ex.sessionKey()).hasSize(SessionKeys.SESSION_KEY_LENGTH);

        PrivateKey clientPrivate = privateKey("DH", "dh_client_private_pkcs8");
        PublicKey serverAsSent = codec.decodePublicKey(codec.encodePublicKey(server));
        assertThat(keys.agree(clientPrivate, serverAsSent)).isEqualTo(ex.sessionKey());
    }

    @Test
    void theSetupResponseCarriesTheServerKeyInHandleEncoding() {
        JsonNode v = Vectors.vector("session_setup_response_dh");
        String body = v.get("body_hex").asText();
        assertThat(body).contains(Vectors.toHex(Vectors.key("dh_server_public_hs_encoding")));
    }

    @Test
    void refusesWeakOrDegenerateClientKeys() throws Exception {
        DHPublicKey client = (DHPublicKey) clientPublic();
        BigInteger p = client.getParams().getP();
        BigInteger g = client.getParams().getG();
        KeyFactory kf = KeyFactory.getInstance("DH");
        PublicKey yOne = kf.generatePublic(new DHPublicKeySpec(BigInteger.ONE, p, g));
        assertThatThrownBy(() -> keys.serverExchange(yOne, new SecureRandom()))
                .isInstanceOf(UnusableKeyException.class).hasMessage("DH public value outside 2..p-2");
        PublicKey yPminus1 = kf.generatePublic(new DHPublicKeySpec(p.subtract(BigInteger.ONE), p, g));
        assertThatThrownBy(() -> keys.serverExchange(yPminus1, new SecureRandom()))
                .isInstanceOf(UnusableKeyException.class);
        BigInteger small = BigInteger.probablePrime(512, new SecureRandom());
        PublicKey weak = kf.generatePublic(new DHPublicKeySpec(BigInteger.valueOf(5), small, g));
        assertThatThrownBy(() -> keys.serverExchange(weak, new SecureRandom()))
                .isInstanceOf(UnusableKeyException.class).hasMessageContaining("512");
        assertThatThrownBy(() -> keys.serverExchange(rsaPublic(), new SecureRandom()))
                .isInstanceOf(UnusableKeyException.class).hasMessage("expected a DH public key, got RSA");
    }

    @Test
    void hmacOverTheSignedBytesIsTheVectorMac() throws Exception {
        JsonNode v = Vectors.vector("session_request_mac");
        byte[] key = hex(derivation, "session_key_hex");
        byte[] mac = PROVIDERS.jdk().hmac("HmacSHA256", key, hex(v, "signed_bytes_hex"));
        assertThat(mac).isEqualTo(credential(v).signature().toByteArray());
    }

    @Test
    void macCredentialEqualsTheVectorCredential() {
        byte[] key = hex(derivation, "session_key_hex");
        for (String name : new String[] {"session_request_mac", "session_response_mac"}) {
            JsonNode v = Vectors.vector(name);
            Credential expected = credential(v);
            Credential actual = keys.macCredential(key, envelope(v), expected.sessionCounter(),
                    headerAndBody(v));
            assertThat(actual.type()).isEqualTo(Credential.TYPE_MAC);
            assertThat(actual.hashId()).isEqualTo(expected.hashId());
            assertThat(actual.sessionCounter()).isEqualTo(expected.sessionCounter());
            assertThat(actual.signature()).as(name).isEqualTo(expected.signature());
        }
    }
}
