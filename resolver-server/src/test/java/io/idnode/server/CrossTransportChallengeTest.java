package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.CreateHandleResponse;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A challenge obtained over UDP is answered over TCP (handle-protocol.md §1.4, §6.1: pending challenges are
 * keyed by sessionId, not by connection), and a garbled answer is refused without a change.
 */
class CrossTransportChallengeTest {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);
    private static final ChallengeAnswers ANSWERS = new ChallengeAnswers(CryptoFixtures.PROVIDERS);

    static final MessageCodec CODEC = MessageCodec.DEFAULT;

    @TempDir
    Path temp;

    static Message create(String handle, int requestId) {
        MessageHeader h = new MessageHeader(OpCode.CREATE_HANDLE, ResponseCode.RESERVED,
                OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY | OpFlags.PUBLIC_ONLY, 1, 0,
                System.currentTimeMillis() / 1000 + 600);
        return Message.of(Envelope.request(0, requestId), h, new ValuesRequest(handle,
                List.of(HandleValue.builder(1, "URL").data("https://example.com/x").build())));
    }

    static Message answer(int sessionId, int requestId, ChallengeAnswer body) {
        MessageHeader h = new MessageHeader(OpCode.CHALLENGE_RESPONSE, ResponseCode.RESERVED,
                OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY | OpFlags.PUBLIC_ONLY, 0xFFFF, 0,
                System.currentTimeMillis() / 1000 + 600);
        return Message.of(Envelope.request(sessionId, requestId), h, body);
    }

    static Message overUdp(int port, Message request) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(10_000);
            byte[] out = CODEC.encode(request);
            s.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            s.receive(in);
            return CODEC.decode(Arrays.copyOf(in.getData(), in.getLength()));
        }
    }

    static Message overTcp(int port, Message request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(CODEC.encode(request));
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] envelope = new byte[20];
            in.readFully(envelope);
            byte[] frame = Arrays.copyOf(envelope, 20 + ByteBuffer.wrap(envelope, 16, 4).getInt());
            in.readFully(frame, 20, frame.length - 20);
            return CODEC.decode(frame);
        }
    }

    @Test
    void udpChallengeIsAnsweredOverTcp() throws Exception {
        Path data = temp.resolve("data");
        NodeConfig config = TestNode.config(data).prefixes(List.of("88.100.1")).eventLoops(1).cacheMaxRecords(100)
                .build();
        try (Node node = Node.start(config)) {
            PrivateKey admin = KEY_FILES.readPrivateKeyPem(data.resolve("keys").resolve("admin.pem"));
            Message challenge = overUdp(node.port(), create("88.100.1/ACROSS", 1001));
            assertThat(challenge.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
            byte[] nonce = ((Challenge) challenge.body()).nonce();
            byte[] digest = challenge.requestDigest().digest();

            // A garbled proof: refused, nothing written, and the challenge is used up.
            Message garbled = overTcp(node.port(), answer(challenge.sessionId(), 1002,
                    new ChallengeAnswer("HS_PUBKEY", "0.NA/88.100.1", 300, new byte[] {0, 0, 0, 99, 1})));
            assertThat(garbled.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_FAILED);
            assertThat(node.store().get("88.100.1/ACROSS")).isNull();

            challenge = overUdp(node.port(), create("88.100.1/ACROSS", 1003));
            nonce = ((Challenge) challenge.body()).nonce();
            digest = challenge.requestDigest().digest();
            byte[] signed = ANSWERS.signPublicKeyAnswer(admin, nonce, digest,
                    challenge.envelope().version().number());
            Message reply = overTcp(node.port(), answer(challenge.sessionId(), 1004,
                    new ChallengeAnswer("HS_PUBKEY", "0.NA/88.100.1", 300, signed)));
            assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(reply.requestId()).isEqualTo(1004);
            assertThat(((CreateHandleResponse) reply.body()).handle()).isEqualTo("88.100.1/ACROSS");
            assertThat(node.store().get("88.100.1/ACROSS")).isNotNull();
        }
    }
}
