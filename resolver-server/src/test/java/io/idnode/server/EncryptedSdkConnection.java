package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeyWrap;
import io.idnode.handler.session.ConnectionCipher;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.ResponseCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.SecureRandom;

/**
 * The client side of China's SDK's encrypted transport (cn-extensions.md §4), as a test writes it from our codec
 * and cipher code, byte for byte as the section describes: one persistent TCP connection; SESSION_SETUP in mode 3
 * in the clear; the wrapped session key opened with the identity's private key; then every frame encrypted
 * (EC in byte 2, messageLength the ciphertext's), with opFlag ENC set in each request's header, and every reply
 * decrypted when it has EC.
 */
final class EncryptedSdkConnection implements AutoCloseable {
    /** opFlag ENC: the request asks for encrypted replies (handle-protocol.md §2.2). */
    static final int ENC = 0x20000000;
    private static final int OP_FLAGS = EnvelopeLayout.LENGTH + 8;
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;
    private static final SessionCipher CIPHER = new SessionCipher(CryptoFixtures.PROVIDERS);
    private static final SessionKeyWrap WRAP = new SessionKeyWrap(CryptoFixtures.PROVIDERS);

    private final Socket socket;
    private ConnectionCipher cipher;
    private SessionKeyWrap.SessionKey sessionKey;
    /** Whether the last reply read came encrypted. */
    boolean lastEncrypted;

    EncryptedSdkConnection(InetAddress from, int port) throws IOException {
        this.socket = RawClient.connect(from, port);
    }

    /** Sends the setup frame {@code plainFrame} in the clear and reads its reply, which must come in the clear. */
    Message setup(byte[] plainFrame) throws Exception {
        write(plainFrame);
        byte[] frame = readFrame();
        assertThat(frame[2] & Envelope.ENCRYPTED).as("the setup reply comes in the clear").isZero();
        return CODEC.decode(frame);
    }

    /**
     * Opens the session key of {@code reply} (rc 1, mode 3) with {@code identityKey}; from then on frames are
     * encrypted.
     */
    SessionKeyWrap.SessionKey open(Message reply, PrivateKey identityKey) throws Exception {
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        SessionSetupResponse body = (SessionSetupResponse) reply.body();
        assertThat(body.keyExchangeMode()).isEqualTo(3);
        sessionKey = WRAP.unwrap(identityKey, body.data());
        keyed(new ConnectionCipher(CIPHER, sessionKey.algorithm(), sessionKey.key(), new SecureRandom()));
        return sessionKey;
    }

    /** Encrypts the next frames with {@code c} (e.g. a guessed key). */
    void keyed(ConnectionCipher c) {
        this.cipher = c;
    }

    /** Sends {@code request} with ENC set, encrypted, and returns the reply, decrypted. */
    Message exchange(Message request) throws Exception {
        return exchange(CODEC.encode(request));
    }

    /** Sends the plain frame {@code plainFrame} (as the SDK writes it) with ENC set, encrypted; the reply decrypted. */
    Message exchange(byte[] plainFrame) throws Exception {
        byte[] withEnc = plainFrame.clone();
        ByteBuffer.wrap(withEnc).putInt(OP_FLAGS, ByteBuffer.wrap(withEnc).getInt(OP_FLAGS) | ENC);
        write(cipher.encrypt(withEnc));
        return readReply();
    }

    /** Writes {@code frame} as it is. */
    void write(byte[] frame) throws IOException {
        socket.getOutputStream().write(frame);
        socket.getOutputStream().flush();
    }

    /** The next reply, decrypted if it has EC ({@link #lastEncrypted} says which). */
    Message readReply() throws Exception {
        byte[] frame = readFrame();
        Envelope env = CODEC.decodeEnvelope(frame, 0);
        lastEncrypted = env.hasFlag(Envelope.ENCRYPTED);
        if (!lastEncrypted) {
            return CODEC.decode(frame);
        }
        return cipher.decrypt(env, frame, EnvelopeLayout.LENGTH, frame.length - EnvelopeLayout.LENGTH);
    }

    private byte[] readFrame() throws IOException {
        return RawClient.readFrame(socket.getInputStream());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
