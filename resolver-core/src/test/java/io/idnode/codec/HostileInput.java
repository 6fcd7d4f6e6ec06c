package io.idnode.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.protocol.Message;
import java.util.Arrays;

/** Shared check for hostile inputs: the only failure allowed is a {@link CodecException}. */
final class HostileInput {
    private HostileInput() {
    }

    /**
     * Decodes {@code frame}; returns false on a {@link CodecException}. A frame that decodes must re-encode, and
     * that encoding must survive another decode and encode unchanged (the decoder's reading is canonical). Any
     * other exception or error propagates and fails the test.
     */
    static boolean decodesOrFailsCleanly(byte[] frame) {
        Message m;
        try {
            m = MessageCodec.DEFAULT.decode(frame);
        } catch (CodecException e) {
            assertThat(e.responseCode()).isNotNull();
            return false;
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
        return true;
    }
}
