package io.idnode.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleValue;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Message;
import io.idnode.protocol.ResponseCode;
import java.util.Arrays;
import net.jqwik.api.statistics.Statistics;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;

/**
 * Shared checks for hostile inputs: the only failure allowed is a {@link CodecException} answered with a
 * protocol error, and what decodes is read canonically. The outcome of every decoding is counted in jqwik
 * {@link Statistics}, so that a property can require a share of its inputs to decode: a decoder that
 * rejected everything would otherwise pass every "fails cleanly" check.
 */
final class HostileInput {
    /** Statistics label of the outcome of decoding a whole frame. */
    static final String OUTCOME = "outcome";
    /** Outcome of an input that decoded. */
    static final String DECODED = "decoded";
    /** Outcome of an input refused with a {@link CodecException}. */
    static final String REJECTED = "rejected";

    private HostileInput() {
    }

    /**
     * How decoded messages and values are compared with the expected ones: field by field, arrays by content,
     * {@link Bytes} and handle values by their own equality (content, not the larger array they may be a view
     * of), and the raw header and body bytes left out (a locally built message has none). A new configuration
     * each time: assertions add to it.
     */
    static RecursiveComparisonConfiguration sameContent() {
        return RecursiveComparisonConfiguration.builder()
                .withIgnoredFields("headerAndBody", "envelope.messageLength")
                .withEqualsForType(HandleValue::equals, HandleValue.class)
                .withEqualsForType(Bytes::equals, Bytes.class)
                .build();
    }

    /** A decoder of value data (HS_ADMIN, HS_SITE, ...). */
    interface Decoding<T> {
        T decode(byte[] data) throws CodecException;
    }

    /**
     * Decodes {@code frame}; returns the message, or null on a {@link CodecException}. A frame that decodes
     * must re-encode, and that encoding must survive another decode and encode unchanged (the decoder's
     * reading is canonical). Any other exception or error propagates and fails the test. Does not collect
     * statistics (see {@link #decodeCounted}).
     */
    static Message decodeOrReject(byte[] frame) {
        Message m;
        try {
            m = MessageCodec.DEFAULT.decode(frame);
        } catch (CodecException e) {
            assertIsProtocolError(e);
            return null;
        }
        byte[] again = MessageCodec.DEFAULT.encode(m);
        try {
            byte[] third = MessageCodec.DEFAULT.encode(MessageCodec.DEFAULT.decode(again));
            if (!Arrays.equals(again, third)) {
                throw new AssertionError("decoding is not canonical for " + m);
            }
        } catch (CodecException e) {
            throw new AssertionError("re-encoding of a decoded message does not decode", e);
        }
        return m;
    }

    /** As {@link #decodeOrReject(byte[])}, counting the outcome under {@link #OUTCOME}. */
    static Message decodeCounted(byte[] frame) {
        Message m = decodeOrReject(frame);
        Statistics.label(OUTCOME).collect(m == null ? REJECTED : DECODED);
        return m;
    }

    /** Decodes value {@code data}; returns the value, or null on a {@link CodecException}, counted under {@code label}. */
    static <T> T decodeCounted(String label, Decoding<T> decoding, byte[] data) {
        T value;
        try {
            value = decoding.decode(data);
        } catch (CodecException e) {
            assertIsProtocolError(e);
            value = null;
        }
        Statistics.label(label).collect(value == null ? REJECTED : DECODED);
        return value;
    }

    /**
     * Requires, once the property has run, that at least {@code minPercent} of the inputs counted under
     * {@code label} decoded and at least {@code minPercent} were rejected.
     */
    static void requireBothOutcomes(String label, double minPercent) {
        Statistics.label(label).coverage(c -> {
            c.check(DECODED).percentage(p -> p >= minPercent);
            c.check(REJECTED).percentage(p -> p >= minPercent);
        });
    }

    /** A malformed input is answered with a protocol error, or a more precise code for a bad handle (§3.2). */
    private static void assertIsProtocolError(CodecException e) {
        assertThat(e.responseCode()).as(e.getMessage())
                .isIn(ResponseCode.PROTOCOL_ERROR, ResponseCode.INVALID_HANDLE);
    }
}
