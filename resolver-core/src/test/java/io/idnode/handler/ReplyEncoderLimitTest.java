package io.idnode.handler;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.dsaPrivate;
import static io.idnode.crypto.CryptoFixtures.rsaPrivate;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.MessageCodec;
import io.idnode.crypto.HashAlgorithm;
import io.idnode.crypto.auth.MessageSigner;
import io.idnode.model.HandleValue;
import io.idnode.node.NodeFixtures;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reply is encoded only if it fits the caller's limit, a signed one measured before it is signed; and a reply
 * can be replaced by a short error that keeps what the client checks.
 */
class ReplyEncoderLimitTest {
    static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    static final Replies REPLIES = new Replies(NodeFixtures.identity(rsaPrivate(), rsaPublic()),
            Clock.fixed(Instant.ofEpochSecond(1_800_000_000), ZoneOffset.UTC));

    static Message request(int flags) {
        return Requests.expiringAt(1_800_043_200L).withRequestId(42).withFlags(flags).resolution("88.100.1/A");
    }

    static Message answer(int flags) {
        return REPLIES.reply(request(flags), ResponseCode.SUCCESS, new ResolutionResponse("88.100.1/A",
                List.of(HandleValue.builder(1, "URL").data("https://example.com/a").timestamp(1).build())));
    }

    static ReplyEncoder encoder(PrivateKey key) {
        return new ReplyEncoder(MessageCodec.DEFAULT, new MessageSigner(key, PROVIDERS), PROVIDERS);
    }

    static int length(ByteBuf frame) {
        try {
            return frame.readableBytes();
        } finally {
            frame.release();
        }
    }

    @Test
    void anUnsignedReplyIsEncodedUpToTheLimitAndNotBeyond() {
        ReplyEncoder encoder = encoder(rsaPrivate());
        Message reply = answer(Requests.DEFAULT_FLAGS);
        int full = length(encoder.encode(reply, ALLOC));

        assertThat(length(encoder.encode(reply, null, ALLOC, full))).isEqualTo(full);
        assertThat(encoder.encode(reply, null, ALLOC, full - 1)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "DSA"})
    void aSignedReplyIsMeasuredWithTheLongestSignatureOfTheKey(String algorithm) {
        PrivateKey key = algorithm.equals("RSA") ? rsaPrivate() : dsaPrivate();
        ReplyEncoder encoder = encoder(key);
        Message reply = answer(Requests.DEFAULT_FLAGS | OpFlags.CERTIFY);
        int unsigned = length(encoder.encode(answer(Requests.DEFAULT_FLAGS), ALLOC));
        // The credential (§2.3): 44 bytes of fields around the signature ("HS_SIGNED", "SHA-256").
        int longest = unsigned + 44 + new MessageSigner(key, PROVIDERS).maxSignatureLength();

        assertThat(encoder.encode(reply, null, ALLOC, longest - 1)).isNull();
        int signed = length(encoder.encode(reply, null, ALLOC, longest));
        if (algorithm.equals("RSA")) {
            assertThat(signed).isEqualTo(longest); // an RSA signature always has the modulus's length
        } else {
            assertThat(signed).isBetween(longest - 2, longest); // r and s may each lose a leading byte
        }
    }

    @Test
    void theLongestSignatureIsTheRsaModulusOrTheDerOfTwoDsaIntegers() {
        MessageSigner rsa = new MessageSigner(rsaPrivate(), PROVIDERS);
        assertThat(rsa.maxSignatureLength()).isEqualTo(128) // the vectors' key is RSA-1024
                .isEqualTo(rsa.sign(HashAlgorithm.SHA256, new byte[] {1}).length);
        MessageSigner dsa = new MessageSigner(dsaPrivate(), PROVIDERS);
        assertThat(dsa.maxSignatureLength()).isEqualTo(48); // SEQUENCE{INTEGER r, INTEGER s}, q of 160 bits
        for (int i = 0; i < 50; i++) {
            assertThat(dsa.sign(HashAlgorithm.SHA256, new byte[] {(byte) i}).length)
                    .isLessThanOrEqualTo(48);
        }
    }

    @Test
    void aReplacementKeepsEnvelopeDigestAndHeaderButCnAndBody() {
        Message reply = REPLIES.reply(request(Requests.DEFAULT_FLAGS | OpFlags.REQUEST_DIGEST),
                new Outcome(ResponseCode.SUCCESS, new ErrorResponse("page 1"), true));
        Message replacement = REPLIES.insteadOf(reply, ResponseCode.ERROR, true);

        assertThat(replacement.envelope()).isEqualTo(reply.envelope());
        assertThat(replacement.requestDigest()).isNotNull().isEqualTo(reply.requestDigest());
        assertThat(replacement.header().opCode()).isEqualTo(reply.header().opCode());
        assertThat(replacement.header().expiration()).isEqualTo(reply.header().expiration());
        assertThat(replacement.responseCode()).isEqualTo(ResponseCode.ERROR);
        assertThat(replacement.body()).isEqualTo(new ErrorResponse(""));
        assertThat(replacement.header().opFlags()).isEqualTo(reply.header().opFlags() & ~OpFlags.CONTINUOUS);
    }

    @Test
    void aReplacementIsSignedOnlyIfAsked() throws Exception {
        Message reply = answer(Requests.DEFAULT_FLAGS | OpFlags.CERTIFY);

        assertThat(REPLIES.insteadOf(reply, ResponseCode.ERROR, true).hasFlag(OpFlags.CERTIFY)).isTrue();
        assertThat(REPLIES.insteadOf(reply, ResponseCode.SERVER_TOO_BUSY, false).hasFlag(OpFlags.CERTIFY)).isFalse();
        ByteBuf frame = encoder(rsaPrivate()).encode(REPLIES.insteadOf(reply, ResponseCode.SERVER_TOO_BUSY, false),
                ALLOC);
        try {
            assertThat(MessageCodec.DEFAULT.decode(ByteBufUtil.getBytes(frame)).credential()).isNull();
        } finally {
            frame.release();
        }
    }
}
