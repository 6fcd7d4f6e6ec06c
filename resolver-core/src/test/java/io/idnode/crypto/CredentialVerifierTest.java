package io.idnode.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.CodecException;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.Vectors;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialVerifierTest {
    private final CredentialVerifier verifier = CredentialVerifier.DEFAULT;

    private static byte[] sessionKey() {
        return Fixtures.hex(Vectors.vector("session_key_derivation_dh_aes"), "session_key_hex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"resolution_response_certified_rsa", "verify_auth_response_valid",
        "session_setup_response_dh"})
    void vectorSignaturesVerifyOverTheirSignedBytes(String name) throws Exception {
        JsonNode v = Vectors.vector(name);
        Credential c = Fixtures.credential(v);
        byte[] signed = Fixtures.hex(v, "signed_bytes_hex");
        assertThat(verifier.verifySignature(c, Fixtures.rsaPublic(), signed)).isTrue();
        assertThat(verifier.verifySignature(c, Fixtures.rsaPublic(), Fixtures.envelope(v), Fixtures.headerAndBody(v)))
                .isTrue();
    }

    @Test
    void aChangedMessageOrSignatureOrKeyIsSimplyFalse() throws Exception {
        JsonNode v = Vectors.vector("resolution_response_certified_rsa");
        Credential c = Fixtures.credential(v);
        byte[] signed = Fixtures.hex(v, "signed_bytes_hex");
        assertThat(verifier.verifySignature(c, Fixtures.rsaPublic(), Fixtures.flipBit(signed, signed.length - 1)))
                .isFalse();
        assertThat(verifier.verifySignature(Fixtures.withSignature(c, Fixtures.flipBit(c.signature().toByteArray(), 5)),
                Fixtures.rsaPublic(), signed)).isFalse();
        assertThat(verifier.verifySignature(Fixtures.withSignature(c, new byte[3]), Fixtures.rsaPublic(), signed))
                .isFalse();
        assertThat(verifier.verifySignature(Fixtures.withSignature(c, new byte[0]), Fixtures.rsaPublic(), signed))
                .isFalse();
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(1024);
        PublicKey other = gen.generateKeyPair().getPublic();
        assertThat(verifier.verifySignature(c, other, signed)).isFalse();
        // A different envelope (request id) changes the covered bytes.
        Envelope env = Fixtures.envelope(v);
        Envelope otherId = new Envelope(env.majorVersion(), env.minorVersion(), env.flags(), env.suggestedMajor(),
                env.suggestedMinor(), env.sessionId(), env.requestId() + 1, 0, 0);
        assertThat(verifier.verifySignature(c, Fixtures.rsaPublic(), otherId, Fixtures.headerAndBody(v))).isFalse();
    }

    @Test
    void acceptsTheLegacyTypeAndOneByteHashIds() throws Exception {
        JsonNode v = Vectors.vector("verify_auth_response_valid");
        Credential c = Fixtures.credential(v);
        byte[] signed = Fixtures.hex(v, "signed_bytes_hex");
        assertThat(verifier.verifySignature(Fixtures.withType(c, CredentialVerifier.TYPE_OLD_SIGNED),
                Fixtures.rsaPublic(), signed)).isTrue();
        assertThat(verifier.verifySignature(Fixtures.withHashId(c, "\u0003"), Fixtures.rsaPublic(), signed)).isTrue();
        assertThat(verifier.verifySignature(Fixtures.withHashId(c, "SHA256"), Fixtures.rsaPublic(), signed)).isTrue();
        // Same bytes, but the credential claims SHA-1: the signature does not match that hash.
        assertThat(verifier.verifySignature(Fixtures.withHashId(c, "SHA1"), Fixtures.rsaPublic(), signed)).isFalse();
    }

    @Test
    void uncheckableCredentialsAreTypedErrors() {
        JsonNode v = Vectors.vector("verify_auth_response_valid");
        Credential c = Fixtures.credential(v);
        byte[] signed = Fixtures.hex(v, "signed_bytes_hex");
        assertThatThrownBy(() -> verifier.verifySignature(Fixtures.withHashId(c, "SHA-512"), Fixtures.rsaPublic(),
                signed)).isInstanceOf(CodecException.class).hasMessageContaining("SHA-512")
                .extracting(e -> ((CodecException) e).responseCode()).isEqualTo(ResponseCode.INVALID_CREDENTIAL);
        assertThatThrownBy(() -> verifier.verifySignature(Fixtures.withType(c, "HS_MAC"), Fixtures.rsaPublic(), signed))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> verifier.verifySignature(Fixtures.withHashId(c, "MD5"), Fixtures.dsaPublic(), signed))
                .isInstanceOf(CodecException.class).hasMessageContaining("DSA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"session_request_mac", "session_response_mac"})
    void sessionMacVectorsVerify(String name) throws Exception {
        JsonNode v = Vectors.vector(name);
        Credential c = Fixtures.credential(v);
        assertThat(c.hashId()).isEqualTo("HMAC-SHA256");
        assertThat(verifier.verifyMac(c, sessionKey(), Fixtures.envelope(v), Fixtures.headerAndBody(v))).isTrue();
    }

    @Test
    void aFlippedBitAnywhereFailsTheMac() throws Exception {
        JsonNode v = Vectors.vector("session_request_mac");
        Credential c = Fixtures.credential(v);
        Envelope env = Fixtures.envelope(v);
        byte[] hb = Fixtures.headerAndBody(v);
        assertThat(verifier.verifyMac(c, sessionKey(), env, Fixtures.flipBit(hb, 30))).isFalse();
        assertThat(verifier.verifyMac(Fixtures.withSignature(c, Fixtures.flipBit(c.signature().toByteArray(), 0)), sessionKey(), env,
                hb)).isFalse();
        assertThat(verifier.verifyMac(c, Fixtures.flipBit(sessionKey(), 31), env, hb)).isFalse();
        assertThat(verifier.verifyMac(Fixtures.withCounter(c, 2), sessionKey(), env, hb)).isFalse();
    }

    @Test
    void macWithUnacceptableHashIdIsATypedError() {
        JsonNode v = Vectors.vector("session_request_mac");
        Credential c = Fixtures.credential(v);
        assertThatThrownBy(() -> verifier.verifyMac(Fixtures.withHashId(c, "SHA1"), sessionKey(), Fixtures.envelope(v),
                Fixtures.headerAndBody(v))).isInstanceOf(CodecException.class).hasMessageContaining("HMAC-SHA256");
        assertThatThrownBy(() -> verifier.verifyMac(Fixtures.withType(c, "HS_SIGNED"), sessionKey(),
                Fixtures.envelope(v), Fixtures.headerAndBody(v))).isInstanceOf(CodecException.class);
    }

    @Test
    void legacyMacFormsRoundTripAndDetectChanges() throws Exception {
        byte[] hb = Fixtures.headerAndBody(Vectors.vector("session_request_mac"));
        for (int minor : new int[] {6, 5, 4}) {
            Envelope env = new Envelope(2, minor, 0, 2, 11, 2, 0x1234567C, 0, 0);
            Credential c = SessionKeys.DEFAULT.macCredential(sessionKey(), env, 1, hb);
            assertThat(c.type()).isEqualTo(Credential.TYPE_MAC);
            assertThat(c.signature().length()).isEqualTo(20);
            assertThat(c.hashId()).isEqualTo(minor == 6 ? "SHA1" : "\u0002");
            assertThat(verifier.verifyMac(c, sessionKey(), env, hb)).as("2." + minor).isTrue();
            assertThat(verifier.verifyMac(c, sessionKey(), env, Fixtures.flipBit(hb, 40))).as("2." + minor).isFalse();
            assertThat(verifier.verifyMac(c, Fixtures.flipBit(sessionKey(), 20), env, hb)).as("2." + minor).isFalse();
        }
    }
}
