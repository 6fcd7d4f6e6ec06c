package io.idnode.handler;

import io.idnode.codec.CredentialCodec;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.crypto.HashAlgorithm;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.MessageSigner;
import io.idnode.crypto.auth.SessionMacKey;
import io.idnode.crypto.auth.SessionMacs;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpFlags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.security.SecureRandom;

/**
 * Encodes replies once, at the edge of the request chain, onto a buffer from the caller's allocator:
 * unsigned replies straight through the codec; replies to certified requests (CT, handle-protocol.md §2.3)
 * signed over their exact header and body bytes with the node's key; replies inside a session MAC-signed
 * with the session key and, when the session asks for it, encrypted (§6.6). This is the one place replies are signed, sealed or encrypted.
 * Thread-safe.
 */
public final class ReplyEncoder {
    /**
     * First capacity of a reply buffer: a resolution with a few values (about 350 bytes) fits without the
     * buffer growing and being copied while it is encoded; larger replies still grow.
     */
    static final int INITIAL_CAPACITY = 1024;

    private final MessageCodec codec;
    private final MessageSigner signer;
    private final SessionKeys sessionKeys;
    private final SessionCipher cipher;
    private final SecureRandom random = new SecureRandom();
    private final int maxCredentialSection;

    /**
     * An encoder writing with {@code codec}, signing certified replies with {@code signer} and encrypting session
     * replies with {@code providers}.
     */
    public ReplyEncoder(MessageCodec codec, MessageSigner signer, CryptoProviders providers) {
        this.codec = codec;
        this.signer = signer;
        this.sessionKeys = new SessionKeys(providers);
        this.cipher = new SessionCipher(providers);
        // The credential section of a signed reply at its longest: the longest hash name, the longest signature.
        Credential longest = new Credential(0, 0, 0, "", 0, Credential.TYPE_SIGNED, HashAlgorithm.SHA256.hashId(),
                Bytes.wrap(new byte[signer.maxSignatureLength()]));
        this.maxCredentialSection = 4 + CredentialCodec.encode(longest).length;
    }

    /** Envelope + message of {@code reply}, signed if its header has CT; the caller releases the buffer. */
    public ByteBuf encode(Message reply, ByteBufAllocator alloc) {
        return encode(reply, alloc, Integer.MAX_VALUE);
    }

    private ByteBuf encode(Message reply, ByteBufAllocator alloc, int maxBytes) {
        ByteBuf out = alloc.buffer(INITIAL_CAPACITY);
        try {
            if (!reply.hasFlag(OpFlags.CERTIFY) || reply.credential() != null) {
                codec.encode(reply, out);
                return atMost(out, maxBytes);
            }
            ByteBuf headerAndBody = alloc.heapBuffer(INITIAL_CAPACITY);
            try {
                codec.encodeHeaderAndBody(reply, headerAndBody);
                if (EnvelopeLayout.LENGTH + headerAndBody.readableBytes() + maxCredentialSection > maxBytes) {
                    out.release();
                    return null; // too long once signed: not worth a signature
                }
                Credential credential = signer.sign(reply.envelope(), 0, ByteBufUtil.getBytes(headerAndBody));
                codec.encodeFrame(reply.envelope(), headerAndBody, credential, out);
            } finally {
                headerAndBody.release();
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * As {@link #encode(Message, SessionSeal, ByteBufAllocator)}, or null if the frame would be longer than
     * {@code maxBytes}; a reply to be signed with the node key is measured before it is signed (with the
     * longest signature the key makes), so that no signature is made for a frame that is not sent.
     */
    public ByteBuf encode(Message reply, SessionSeal seal, ByteBufAllocator alloc, int maxBytes) {
        return seal == null ? encode(reply, alloc, maxBytes) : atMost(encode(reply, seal, alloc), maxBytes);
    }

    /**
     * The {@code HS_MAC} credential of a reply in a session: from 2.7 with the session's keyed engine over the
     * encoded header and body where they lie (nothing allocated but the MAC and its credential), else through
     * the generic path.
     */
    private Credential sessionMac(Envelope env, SessionSeal seal, ByteBuf headerAndBody) {
        SessionMacKey key = seal.macKey();
        if (key != null && headerAndBody.hasArray()
                && SessionMacKey.covers(env.majorVersion(), env.minorVersion(), null)) {
            byte[] mac = key.compute(env.majorVersion(), env.minorVersion(), env.suggestedMajor(),
                    env.suggestedMinor(), env.sessionId(), env.requestId(), seal.serverCounter(),
                    headerAndBody.array(), headerAndBody.arrayOffset() + headerAndBody.readerIndex(),
                    headerAndBody.readableBytes());
            return Credential.mac(seal.serverCounter(), SessionMacs.HMAC_SHA256, Bytes.wrap(mac));
        }
        return sessionKeys.macCredential(seal.sessionKey(), env, seal.serverCounter(),
                ByteBufUtil.getBytes(headerAndBody));
    }

    private static ByteBuf atMost(ByteBuf frame, int maxBytes) {
        if (frame.readableBytes() <= maxBytes) {
            return frame;
        }
        frame.release();
        return null;
    }

    /**
     * Envelope + message of a reply as the chain hands it to its edge ({@link ReplySink#reply}): outside a
     * session ({@code seal} null) as {@link #encode(Message, ByteBufAllocator)}; inside one always
     * {@code HS_MAC}-signed with the seal's key and counter, never with the node key (§2.3), and if the seal
     * says so, header, body and credential are then encrypted and sent as {@code IV ‖ ciphertext} under an
     * envelope with EC (§6.6). The caller releases the buffer.
     */
    public ByteBuf encode(Message reply, SessionSeal seal, ByteBufAllocator alloc) {
        if (seal == null) {
            return encode(reply, alloc);
        }
        ByteBuf out = alloc.buffer(INITIAL_CAPACITY);
        ByteBuf headerAndBody = alloc.heapBuffer(INITIAL_CAPACITY);
        try {
            codec.encodeHeaderAndBody(reply, headerAndBody);
            Envelope env = reply.envelope();
            Credential mac = sessionMac(env, seal, headerAndBody);
            codec.encodeFrame(env, headerAndBody, mac, out);
            if (!seal.encrypt()) {
                return out;
            }
            byte[] plain = ByteBufUtil.getBytes(out, out.readerIndex() + EnvelopeLayout.LENGTH,
                    out.readableBytes() - EnvelopeLayout.LENGTH);
            byte[] sealed = cipher.encrypt(seal.sessionKey(), plain, random);
            out.clear();
            Envelope encrypted = new Envelope(env.majorVersion(), env.minorVersion(), env.flags() | Envelope.ENCRYPTED,
                    env.suggestedMajor(), env.suggestedMinor(), env.sessionId(), env.requestId(), env.messageId(),
                    sealed.length);
            MessageCodec.writeEnvelope(encrypted, sealed.length, out);
            out.writeBytes(sealed);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            headerAndBody.release();
        }
    }
}
