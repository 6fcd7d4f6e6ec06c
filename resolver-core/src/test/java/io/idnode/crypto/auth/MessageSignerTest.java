package io.idnode.crypto.auth;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.credential;
import static io.idnode.crypto.CryptoFixtures.dsaPrivate;
import static io.idnode.crypto.CryptoFixtures.dsaPublic;
import static io.idnode.crypto.CryptoFixtures.envelope;
import static io.idnode.crypto.CryptoFixtures.headerAndBody;
import static io.idnode.crypto.CryptoFixtures.rsaPrivate;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.crypto.HashAlgorithm;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.testing.Vectors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageSignerTest {
    private static final CredentialVerifier VERIFIER = new CredentialVerifier(PROVIDERS);
    private static final String[] SIGNED_VECTORS = {"resolution_response_certified_rsa", "verify_auth_response_valid",
        "session_setup_response_dh"};

    @ParameterizedTest
    @ValueSource(strings = {"resolution_response_certified_rsa", "verify_auth_response_valid",
        "session_setup_response_dh", "session_request_mac", "session_response_mac"})
    void signedBytesReproduceTheVector(String name) {
        JsonNode v = Vectors.vector(name);
        Credential c = credential(v);
        byte[] covered = MessageSigner.signedBytes(envelope(v), c.sessionCounter(), headerAndBody(v));
        assertThat(Vectors.toHex(covered)).isEqualTo(v.get("signed_bytes_hex").asText());
    }

    @Test
    void rsaSignatureEqualsTheLibrarysCredentialByteForByte() {
        MessageSigner signer = new MessageSigner(rsaPrivate(), PROVIDERS);
        for (String name : SIGNED_VECTORS) {
            JsonNode v = Vectors.vector(name);
            Credential expected = credential(v);
            Credential actual = signer.sign(envelope(v), 0, headerAndBody(v));
            assertThat(actual.type()).as(name).isEqualTo(Credential.TYPE_SIGNED);
            assertThat(actual.hashId()).as(name).isEqualTo("SHA-256");
            assertThat(actual.sessionCounter()).as(name).isZero();
            assertThat(actual.signerHandle()).as(name).isEmpty();
            assertThat(actual.signature()).as(name).isEqualTo(expected.signature());
        }
    }

    @Test
    void hashFollowsTheStockServerRule() {
        MessageSigner rsa = new MessageSigner(rsaPrivate(), PROVIDERS);
        MessageSigner dsa = new MessageSigner(dsaPrivate(), PROVIDERS);
        assertThat(rsa.hashFor(2, 11)).isEqualTo(HashAlgorithm.SHA256);
        assertThat(rsa.hashFor(2, 7)).isEqualTo(HashAlgorithm.SHA256);
        assertThat(rsa.hashFor(2, 6)).isEqualTo(HashAlgorithm.SHA1);
        assertThat(rsa.hashFor(2, 3)).isEqualTo(HashAlgorithm.SHA1);
        assertThat(dsa.hashFor(2, 11)).isEqualTo(HashAlgorithm.SHA256);
        assertThat(dsa.hashFor(2, 10)).isEqualTo(HashAlgorithm.SHA1);
        assertThat(dsa.hashFor(2, 7)).isEqualTo(HashAlgorithm.SHA1);
    }

    @Test
    void olderRepliesAreSignedWithSha1AndVerify() throws Exception {
        JsonNode v = Vectors.vector("resolution_response_certified_rsa");
        byte[] hb = headerAndBody(v);
        Envelope env = new Envelope(2, 3, 0, 2, 11, 0, 0x12345678, 0, 0);
        Credential c = new MessageSigner(rsaPrivate(), PROVIDERS).sign(env, 0, hb);
        assertThat(c.hashId()).isEqualTo("SHA1");
        assertThat(VERIFIER.verifySignature(c, rsaPublic(), hb)).isTrue();
        assertThat(VERIFIER.verifySignature(c, rsaPublic(), env, hb)).isTrue();
    }

    @Test
    void dsaSignaturesAreDerAndVerifyAtEveryHash() throws Exception {
        MessageSigner signer = new MessageSigner(dsaPrivate(), PROVIDERS);
        byte[] hb = headerAndBody(Vectors.vector("verify_auth_response_valid"));
        for (int minor : new int[] {11, 8}) {
            Envelope env = new Envelope(2, minor, 0, 2, 11, 7, 99, 0, 0);
            Credential c = signer.sign(env, 0, hb);
            assertThat(c.signature().byteAt(0)).isEqualTo((byte) 0x30);
            assertThat(c.hashId()).isEqualTo(minor == 11 ? "SHA-256" : "SHA1");
            assertThat(VERIFIER.verifySignature(c, dsaPublic(), env, hb)).isTrue();
        }
    }

    @Test
    void version27CoversVersionAndIdsWithoutTheSuggestedVersion() {
        byte[] hb = {9, 9, 9};
        byte[] covered = MessageSigner.signedBytes(2, 7, 2, 11, 0x01020304, 0x05060708, 0x0A0B0C0D, hb);
        ByteBuffer b = ByteBuffer.wrap(covered);
        assertThat(covered).hasSize(14 + hb.length);
        assertThat(b.get()).isEqualTo((byte) 2);
        assertThat(b.get()).isEqualTo((byte) 7);
        assertThat(b.getInt()).isEqualTo(0x01020304);
        assertThat(b.getInt()).isEqualTo(0x05060708);
        assertThat(b.getInt()).isEqualTo(0x0A0B0C0D);
        assertThat(Arrays.copyOfRange(covered, 14, covered.length)).isEqualTo(hb);
    }

    @Test
    void version26ReproducesTheLibrarysOverlappingWrites() {
        byte[] hb = {9, 9, 9};
        byte[] covered = MessageSigner.signedBytes(2, 6, 2, 11, 0x01020304, 0x05060708, 0x0A0B0C0D, hb);
        byte[] expected = new byte[14 + hb.length];
        expected[0] = 2;
        expected[1] = 6;
        // Session id's high half survives at 2..3; the counter overwrote the request id at 4..7.
        expected[2] = 0x01;
        expected[3] = 0x02;
        expected[4] = 0x0A;
        expected[5] = 0x0B;
        expected[6] = 0x0C;
        expected[7] = 0x0D;
        System.arraycopy(hb, 0, expected, 14, hb.length);
        assertThat(covered).isEqualTo(expected);
    }

    @Test
    void belowVersion26OnlyHeaderAndBodyAreCovered() {
        byte[] hb = {1, 2, 3, 4};
        assertThat(MessageSigner.signedBytes(2, 5, 2, 11, 1, 2, 3, hb)).isEqualTo(hb);
        assertThat(MessageSigner.signedBytes(2, 1, 2, 11, 1, 2, 3, hb)).isEqualTo(hb).isNotSameAs(hb);
    }

    @Test
    void signerIsSafeToShareBetweenThreads() throws Exception {
        MessageSigner signer = new MessageSigner(rsaPrivate(), PROVIDERS);
        JsonNode v = Vectors.vector("resolution_response_certified_rsa");
        byte[] expected = credential(v).signature().toByteArray();
        Envelope env = envelope(v);
        byte[] hb = headerAndBody(v);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> signer.sign(env, 0, hb).signature().toByteArray()));
            }
            for (Future<byte[]> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dsaKeyTooLargeForSha1SignsEveryVersionWithSha256() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("DSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        MessageSigner signer = new MessageSigner(pair.getPrivate(), PROVIDERS);
        byte[] body = "header and body".getBytes(StandardCharsets.US_ASCII);
        for (int minor : new int[] {3, 7, 11}) {
            Envelope env = new Envelope(2, minor, 0, 2, 11, 0, 42, 0, 0);
            Credential c = signer.sign(env, 0, body);
            assertThat(c.hashId()).as("2.%d", minor).isEqualTo("SHA-256");
            assertThat(VERIFIER.verifySignature(c, pair.getPublic(), env, body)).as("2.%d", minor)
                    .isTrue();
        }
        assertThatThrownBy(() -> signer.sign(HashAlgorithm.SHA1, body)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesKeysThatCannotMakeHandleSignatures() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(384);
        assertThatThrownBy(() -> new MessageSigner(gen.generateKeyPair().getPrivate(), PROVIDERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("EC key on a curve other than secp256r1 or sm2p256v1 cannot make Handle signatures "
                        + "(RSA, DSA, EC/secp256r1, Ed25519 or EC/sm2p256v1 only)");
        KeyPair ed = PROVIDERS.bouncyCastle().keyPairGenerator("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> new MessageSigner(ed.getPrivate(), PROVIDERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ED25519 keys make no Handle message signatures");
    }
}
