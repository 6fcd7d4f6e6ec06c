package io.idnode.crypto.auth;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.credential;
import static io.idnode.crypto.CryptoFixtures.dsaPublic;
import static io.idnode.crypto.CryptoFixtures.envelope;
import static io.idnode.crypto.CryptoFixtures.flipBit;
import static io.idnode.crypto.CryptoFixtures.headerAndBody;
import static io.idnode.crypto.CryptoFixtures.hex;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static io.idnode.crypto.CryptoFixtures.withCounter;
import static io.idnode.crypto.CryptoFixtures.withHashId;
import static io.idnode.crypto.CryptoFixtures.withSignature;
import static io.idnode.crypto.CryptoFixtures.withType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.testing.Vectors;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialVerifierTest {
    private final CredentialVerifier verifier = new CredentialVerifier(PROVIDERS);

    private static byte[] sessionKey() {
        return hex(Vectors.vector("session_key_derivation_dh_aes"), "session_key_hex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"resolution_response_certified_rsa", "verify_auth_response_valid",
        "session_setup_response_dh"})
    void vectorSignaturesVerifyOverTheirSignedBytes(String name) throws Exception {
        JsonNode v = Vectors.vector(name);
        Credential c = credential(v);
        byte[] signed = hex(v, "signed_bytes_hex");
        assertThat(verifier.verifySignature(c, rsaPublic(), signed)).isTrue();
        assertThat(verifier.verifySignature(c, rsaPublic(), envelope(v), headerAndBody(v)))
                .isTrue();
    }

    @Test
    void aChangedMessageOrSignatureOrKeyIsSimplyFalse() throws Exception {
        JsonNode v = Vectors.vector("resolution_response_certified_rsa");
        Credential c = credential(v);
        byte[] signed = hex(v, "signed_bytes_hex");
        assertThat(verifier.verifySignature(c, rsaPublic(), flipBit(signed, signed.length - 1)))
                .isFalse();
        assertThat(verifier.verifySignature(withSignature(c, flipBit(c.signature().toByteArray(), 5)),
                rsaPublic(), signed)).isFalse();
        assertThat(verifier.verifySignature(withSignature(c, new byte[3]), rsaPublic(), signed))
                .isFalse();
        assertThat(verifier.verifySignature(withSignature(c, new byte[0]), rsaPublic(), signed))
                .isFalse();
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(1024);
        PublicKey other = gen.generateKeyPair().getPublic();
        assertThat(verifier.verifySignature(c, other, signed)).isFalse();
        // A different envelope (request id) changes the covered bytes.
        Envelope env = envelope(v);
        Envelope otherId = new Envelope(env.majorVersion(), env.minorVersion(), env.flags(), env.suggestedMajor(),
                env.suggestedMinor(), env.sessionId(), env.requestId() + 1, 0, 0);
        assertThat(verifier.verifySignature(c, rsaPublic(), otherId, headerAndBody(v))).isFalse();
    }

    @Test
    void acceptsTheLegacyTypeAndOneByteHashIds() throws Exception {
        JsonNode v = Vectors.vector("verify_auth_response_valid");
        Credential c = credential(v);
        byte[] signed = hex(v, "signed_bytes_hex");
        assertThat(verifier.verifySignature(withType(c, CredentialVerifier.TYPE_OLD_SIGNED),
                rsaPublic(), signed)).isTrue();
        assertThat(verifier.verifySignature(withHashId(c, "\u0003"), rsaPublic(), signed)).isTrue();
        assertThat(verifier.verifySignature(withHashId(c, "SHA256"), rsaPublic(), signed)).isTrue();
        // Same bytes, but the credential claims SHA-1: the signature does not match that hash.
        assertThat(verifier.verifySignature(withHashId(c, "SHA1"), rsaPublic(), signed)).isFalse();
    }

    @Test
    void uncheckableCredentialsAreTypedErrors() throws Exception {
        JsonNode v = Vectors.vector("verify_auth_response_valid");
        Credential c = credential(v);
        byte[] signed = hex(v, "signed_bytes_hex");
        assertThatThrownBy(() -> verifier.verifySignature(withHashId(c, "SHA-512"), rsaPublic(), signed))
                .isInstanceOf(UnsupportedAlgorithmException.class).hasMessage("unknown hash id \"SHA-512\"");
        assertThatThrownBy(() -> verifier.verifySignature(withType(c, "HS_MAC"), rsaPublic(), signed))
                .isInstanceOf(MalformedCryptoInputException.class)
                .hasMessage("credential type \"HS_MAC\" is not a signature");
        assertThatThrownBy(() -> verifier.verifySignature(withHashId(c, "MD5"), dsaPublic(), signed))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("hash MD5 is not defined for DSA signatures");
        PublicKey dh = new HandleKeyCodec(PROVIDERS).decodePublicKey(Vectors.key("dh_client_public_hs_encoding"));
        assertThatThrownBy(() -> verifier.verifySignature(c, dh, signed))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("key algorithm DH cannot make Handle signatures (RSA, DSA, EC/secp256r1, Ed25519 or EC/sm2p256v1 only)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"session_request_mac", "session_response_mac"})
    void sessionMacVectorsVerify(String name) throws Exception {
        JsonNode v = Vectors.vector(name);
        Credential c = credential(v);
        assertThat(c.hashId()).isEqualTo("HMAC-SHA256");
        assertThat(verifier.verifyMac(c, sessionKey(), envelope(v), headerAndBody(v))).isTrue();
    }

    @Test
    void aFlippedBitAnywhereFailsTheMac() throws Exception {
        JsonNode v = Vectors.vector("session_request_mac");
        Credential c = credential(v);
        Envelope env = envelope(v);
        byte[] hb = headerAndBody(v);
        assertThat(verifier.verifyMac(c, sessionKey(), env, flipBit(hb, 30))).isFalse();
        assertThat(verifier.verifyMac(withSignature(c, flipBit(c.signature().toByteArray(), 0)), sessionKey(), env,
                hb)).isFalse();
        assertThat(verifier.verifyMac(c, flipBit(sessionKey(), 31), env, hb)).isFalse();
        assertThat(verifier.verifyMac(withCounter(c, 2), sessionKey(), env, hb)).isFalse();
    }

    @Test
    void macWithUnacceptableHashIdIsATypedError() {
        JsonNode v = Vectors.vector("session_request_mac");
        Credential c = credential(v);
        assertThatThrownBy(() -> verifier.verifyMac(withHashId(c, "SHA1"), sessionKey(), envelope(v),
                headerAndBody(v))).isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessageContaining("HMAC-SHA256");
        assertThatThrownBy(() -> verifier.verifyMac(withType(c, "HS_SIGNED"), sessionKey(), envelope(v),
                headerAndBody(v))).isInstanceOf(MalformedCryptoInputException.class);
    }

    @Test
    void legacyMacFormsRoundTripAndDetectChanges() throws Exception {
        byte[] hb = headerAndBody(Vectors.vector("session_request_mac"));
        for (int minor : new int[] {6, 5, 4}) {
            Envelope env = new Envelope(2, minor, 0, 2, 11, 2, 0x1234567C, 0, 0);
            Credential c = new SessionKeys(PROVIDERS).macCredential(sessionKey(), env, 1, hb);
            assertThat(c.type()).isEqualTo(Credential.TYPE_MAC);
            assertThat(c.signature().length()).isEqualTo(20);
            assertThat(c.hashId()).isEqualTo(minor == 6 ? "SHA1" : "\u0002");
            assertThat(verifier.verifyMac(c, sessionKey(), env, hb)).as("2." + minor).isTrue();
            assertThat(verifier.verifyMac(c, sessionKey(), env, flipBit(hb, 40))).as("2." + minor).isFalse();
            assertThat(verifier.verifyMac(c, flipBit(sessionKey(), 20), env, hb)).as("2." + minor).isFalse();
        }
    }
}
