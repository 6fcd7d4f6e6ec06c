package io.idnode.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.CredentialVerifier;
import io.idnode.crypto.auth.SessionMacKey;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpFlags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A lane's session seals request frames as the node checks them (handle-protocol.md §2.3, §6.5) and refuses a
 * frame whose MAC, body or session id was changed.
 */
class LaneSessionTest {
    static final CryptoProviders CRYPTO = CryptoProviders.create();

    final byte[] key = new byte[32];
    final byte[] template = Requests.resolution("88.100.1/P00000001", 0, OpFlags.CERTIFY);

    LaneSessionTest() {
        new SplittableRandom(7).nextBytes(key);
    }

    LaneSession session(int id) {
        return new LaneSession(id, new SessionMacKey(CRYPTO.jdk(), key));
    }

    byte[] sealed(LaneSession s, int requestId) {
        ByteBuf frame = Unpooled.buffer(template.length + LaneSession.CREDENTIAL_ROOM).writeBytes(template);
        frame.setInt(EnvelopeLayout.REQUEST_ID, requestId);
        ByteBuf out = s.seal(frame, template, requestId);
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    @Test
    void sealedRequestsCarryTheMacTheNodeChecks() throws Exception {
        LaneSession s = session(41);
        for (int counter = 1; counter <= 2; counter++) {
            Message m = MessageCodec.DEFAULT.decode(sealed(s, 1000 + counter));
            assertThat(m.sessionId()).isEqualTo(41);
            assertThat(m.requestId()).isEqualTo(1000 + counter);
            assertThat(m.hasFlag(OpFlags.CERTIFY)).isTrue();
            Credential c = m.credential();
            assertThat(c.type()).isEqualTo(Credential.TYPE_MAC);
            assertThat(c.sessionCounter()).isEqualTo(counter);
            assertThat(new CredentialVerifier(CRYPTO).verifyMac(c, key, m.envelope(), m.headerAndBody().toByteArray()))
                    .isTrue();
        }
    }

    @Test
    void verifiesAnIntactFrameOfItsSessionOnly() {
        byte[] frame = sealed(session(41), 5);
        assertThat(session(41).verify(Unpooled.wrappedBuffer(frame))).isTrue();

        byte[] macChanged = frame.clone();
        macChanged[frame.length - 1] ^= 1;
        assertThat(session(41).verify(Unpooled.wrappedBuffer(macChanged))).isFalse();

        byte[] bodyChanged = frame.clone();
        bodyChanged[EnvelopeLayout.LENGTH + 24 + 6] ^= 1;
        assertThat(session(41).verify(Unpooled.wrappedBuffer(bodyChanged))).isFalse();

        assertThat(session(42).verify(Unpooled.wrappedBuffer(frame))).as("another session").isFalse();
        assertThat(session(41).verify(Unpooled.wrappedBuffer(template))).as("no credential").isFalse();
    }
}
