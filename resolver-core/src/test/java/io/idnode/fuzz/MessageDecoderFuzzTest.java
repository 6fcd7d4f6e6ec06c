package io.idnode.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.CodecException;
import io.idnode.codec.CredentialCodec;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.codec.ValueCodec;
import io.idnode.codec.ValueListCodec;
import io.idnode.protocol.Message;
import io.idnode.protocol.ResponseCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the message codec from raw bytes (handle-protocol.md §1–§6): envelope, header,
 * request digest, every body layout, handle values, credentials, and the value data the node reads (HS_ADMIN,
 * HS_SITE, HS_VLIST). The only failure a decoder may report is its {@link CodecException}, answered with a
 * protocol error (or 102 for a handle that is not UTF-8); whatever decodes re-encodes, and its encoding
 * decodes and re-encodes to the same bytes, so the decoder reads every input one way. Seeded with the
 * golden vectors and a dictionary of the protocol's tokens.
 */
class MessageDecoderFuzzTest {

    static Stream<Named<byte[]>> frameSeeds() {
        return VectorSeeds.stream(VectorSeeds.frames());
    }

    @MethodSource("frameSeeds")
    @FuzzTest
    void frames(byte[] frame) {
        Message m = decodeOrReject(frame, MessageCodec.DEFAULT::decode);
        if (m == null) {
            return;
        }
        byte[] again = MessageCodec.DEFAULT.encode(m);
        Message reread = decodeOrReject(again, MessageCodec.DEFAULT::decode);
        assertThat(reread).as("the encoding of a decoded message decodes").isNotNull();
        assertThat(MessageCodec.DEFAULT.encode(reread)).as("decoding is canonical").isEqualTo(again);
    }

    /** One decoder of value data and its encoder. */
    private record ValueDecoder<T>(String name, Decoding<T> decode, Function<T, byte[]> encode) {
        /** Decodes {@code data}; if it decodes, its encoding must decode and re-encode to itself. */
        void check(byte[] data) {
            T value = decodeOrReject(data, decode);
            if (value == null) {
                return;
            }
            byte[] again = encode.apply(value);
            T reread = decodeOrReject(again, decode);
            assertThat(reread).as("the encoding of decoded %s data decodes", name).isNotNull();
            assertThat(encode.apply(reread)).as("%s decoding is canonical", name).isEqualTo(again);
        }
    }

    private static final List<ValueDecoder<?>> VALUE_DECODERS = List.of(
            new ValueDecoder<>("handle value", ValueCodec::decode, ValueCodec::encode),
            new ValueDecoder<>("HS_ADMIN", AdminValueCodec::decode, AdminValueCodec::encode),
            new ValueDecoder<>("HS_SITE", SiteInfoCodec::decode, SiteInfoCodec::encode),
            new ValueDecoder<>("HS_VLIST", ValueListCodec::decode, ValueListCodec::encode),
            new ValueDecoder<>("credential", CredentialCodec::decode, CredentialCodec::encode));

    /** Every value-data, value and credential vector behind every decoder's selector byte. */
    static Stream<Named<byte[]>> valueSeeds() {
        List<Named<byte[]>> data = new ArrayList<>(VectorSeeds.valueData());
        data.addAll(VectorSeeds.values());
        List<Named<byte[]>> seeds = new ArrayList<>();
        for (int selector = 0; selector < VALUE_DECODERS.size(); selector++) {
            for (Named<byte[]> d : data) {
                byte[] seed = new byte[1 + d.getPayload().length];
                seed[0] = (byte) selector;
                System.arraycopy(d.getPayload(), 0, seed, 1, d.getPayload().length);
                seeds.add(Named.of(VALUE_DECODERS.get(selector).name() + " <- " + d.getName(), seed));
            }
        }
        return VectorSeeds.stream(seeds);
    }

    /** The first byte picks the decoder, the rest is its data. */
    @MethodSource("valueSeeds")
    @FuzzTest
    void valueData(byte[] input) {
        if (input.length == 0) {
            return;
        }
        VALUE_DECODERS.get(Math.floorMod(input[0], VALUE_DECODERS.size()))
                .check(Arrays.copyOfRange(input, 1, input.length));
    }

    /** A decoder that fails with its {@link CodecException}. */
    interface Decoding<T> {
        T decode(byte[] data) throws CodecException;
    }

    /**
     * The decoded value, or null when the decoder refused the bytes with a {@link CodecException} carrying
     * a code a server may answer malformed input with (§3.2). Any other throwable fails the fuzz test.
     */
    static <T> T decodeOrReject(byte[] data, Decoding<T> decoding) {
        try {
            return decoding.decode(data);
        } catch (CodecException e) {
            assertThat(e.responseCode()).as(e.getMessage()).isIn(ResponseCode.PROTOCOL_ERROR, ResponseCode.INVALID_HANDLE);
            return null;
        }
    }
}
