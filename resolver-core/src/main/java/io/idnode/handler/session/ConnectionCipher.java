package io.idnode.handler.session;

import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.session.CipherAlgorithm;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Frames encrypted with the session key of one connection (cn-extensions.md §4, handle-protocol.md §6.6): the
 * whole message after the envelope (header, body and credential section) is encrypted with the session's
 * {@link CipherAlgorithm}, the envelope gets EC ({@code 0x40} in byte 2) and {@code messageLength} becomes the
 * ciphertext's length; nothing else of the envelope changes. Symmetric, so a client encrypts its requests with
 * it as the node does its replies. Immutable and thread-safe.
 */
public final class ConnectionCipher {
    private final SessionCipher cipher;
    private final CipherAlgorithm algorithm;
    private final byte[] key;
    private final SecureRandom random;

    /**
     * Frames under {@code key} with {@code algorithm}, encrypted by {@code cipher}; {@code random} draws the IVs of
     * the ciphers that send one.
     *
     * @throws IllegalArgumentException if {@code key} is shorter than the cipher's key length
     */
    public ConnectionCipher(SessionCipher cipher, CipherAlgorithm algorithm, byte[] key, SecureRandom random) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.random = Objects.requireNonNull(random, "random");
        if (key.length < algorithm.keyLength()) {
            throw new IllegalArgumentException("session key of " + key.length + " bytes is too short for "
                    + algorithm.jcaName());
        }
        this.key = key.clone();
    }

    /** The cipher of the connection. */
    public CipherAlgorithm algorithm() {
        return algorithm;
    }

    /** The frame {@code plainFrame} (envelope + message) with its message encrypted and EC set. */
    public byte[] encrypt(byte[] plainFrame) {
        byte[] sealed = cipher.encrypt(algorithm, key, Arrays.copyOfRange(plainFrame, EnvelopeLayout.LENGTH,
                plainFrame.length), random);
        byte[] out = Arrays.copyOf(plainFrame, EnvelopeLayout.LENGTH + sealed.length);
        out[EnvelopeLayout.FLAGS] |= (byte) Envelope.ENCRYPTED;
        putInt(out, EnvelopeLayout.MESSAGE_LENGTH, sealed.length);
        System.arraycopy(sealed, 0, out, EnvelopeLayout.LENGTH, sealed.length);
        return out;
    }

    /**
     * As {@link #encrypt(byte[])} for a frame in a buffer: the readable bytes of {@code plainFrame}, which is
     * released; the encrypted frame is in a new buffer from {@code alloc}, which the caller releases.
     */
    public ByteBuf encrypt(ByteBuf plainFrame, ByteBufAllocator alloc) {
        byte[] frame;
        try {
            frame = new byte[plainFrame.readableBytes()];
            plainFrame.getBytes(plainFrame.readerIndex(), frame);
        } finally {
            plainFrame.release();
        }
        byte[] sealed = encrypt(frame);
        return alloc.buffer(sealed.length).writeBytes(sealed);
    }

    /**
     * The message of an encrypted frame, decrypted and decoded: {@code message} at {@code off} is the
     * ciphertext of {@code len} bytes that followed {@code envelope}; the decoded message carries the envelope
     * without EC, its length the plaintext's, and its exact plaintext header and body (what request digests are
     * computed over, cn-extensions.md §4).
     *
     * @throws CodecException 502 (INVALID_SESSION_KEY) if the ciphertext does not decrypt with this key or what
     *         it decrypts to is not a message
     */
    public Message decrypt(Envelope envelope, byte[] message, int off, int len) throws CodecException {
        byte[] plain;
        try {
            plain = cipher.decrypt(algorithm, key, Arrays.copyOfRange(message, off, off + len));
        } catch (MalformedCryptoInputException e) {
            throw new CodecException(ResponseCode.INVALID_SESSION_KEY, e.getMessage());
        }
        Envelope clear = new Envelope(envelope.majorVersion(), envelope.minorVersion(),
                envelope.flags() & ~Envelope.ENCRYPTED, envelope.suggestedMajor(), envelope.suggestedMinor(),
                envelope.sessionId(), envelope.requestId(), envelope.messageId(), plain.length);
        try {
            return MessageCodec.DEFAULT.decodeMessage(clear, plain, 0, plain.length);
        } catch (CodecException e) {
            // Valid padding by chance under a wrong key decodes to garbage: the same verdict, with the reason.
            throw new CodecException(ResponseCode.INVALID_SESSION_KEY,
                    "encrypted message does not decrypt to a message with the session key: " + e.getMessage());
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
