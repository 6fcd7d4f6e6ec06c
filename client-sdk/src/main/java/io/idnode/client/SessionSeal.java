package io.idnode.client;

import io.idnode.codec.CredentialCodec;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.security.SecureRandom;

/**
 * Seals a request in a session once its requestId is known (handle-protocol.md §2.3, §6.6): the frame
 * (envelope + header and body, no credential yet) gets an {@code HS_MAC} credential over the ids, the session
 * counter and the header and body, and, when {@code encrypt}, the message is encrypted with the session key
 * and sent under an envelope with EC. Made per request; used on the channel's loop.
 */
final class SessionSeal {
    private final ClientSession session;
    private final Envelope envelope;
    private final byte[] headerAndBody;
    private final boolean encrypt;
    private final SessionKeys keys;
    private final SessionCipher cipher;
    private final SecureRandom random;

    SessionSeal(ClientSession session, Envelope envelope, byte[] headerAndBody, boolean encrypt, SessionKeys keys,
            SessionCipher cipher, SecureRandom random) {
        this.session = session;
        this.envelope = envelope;
        this.headerAndBody = headerAndBody;
        this.encrypt = encrypt;
        this.keys = keys;
        this.cipher = cipher;
        this.random = random;
    }

    /** {@code frame} with its credential (and encrypted when asked); {@code frame} is consumed. */
    ByteBuf seal(ByteBuf frame, int requestId) {
        Envelope e = envelope;
        Credential mac = keys.macCredential(session.key(), e.majorVersion(), e.minorVersion(), e.suggestedMajor(),
                e.suggestedMinor(), session.id(), requestId, session.nextCounter(), headerAndBody);
        int start = frame.readerIndex();
        CredentialCodec.writeSection(mac, frame);
        frame.setInt(start + EnvelopeLayout.MESSAGE_LENGTH, frame.readableBytes() - EnvelopeLayout.LENGTH);
        if (!encrypt) {
            return frame;
        }
        try {
            byte[] plain = ByteBufUtil.getBytes(frame, start + EnvelopeLayout.LENGTH,
                    frame.readableBytes() - EnvelopeLayout.LENGTH);
            byte[] sealed = cipher.encrypt(session.key(), plain, random);
            Envelope encrypted = new Envelope(e.majorVersion(), e.minorVersion(), e.flags() | Envelope.ENCRYPTED,
                    e.suggestedMajor(), e.suggestedMinor(), session.id(), requestId, 0, sealed.length);
            ByteBuf out = frame.alloc().buffer(EnvelopeLayout.LENGTH + sealed.length);
            MessageCodec.writeEnvelope(encrypted, sealed.length, out);
            out.writeBytes(sealed);
            return out;
        } finally {
            frame.release();
        }
    }
}
