package io.idnode.codec;

import static io.idnode.codec.HostileInput.OUTCOME;
import static io.idnode.codec.HostileInput.decodeCounted;
import static io.idnode.codec.HostileInput.requireBothOutcomes;
import static io.idnode.codec.HostileInput.sameContent;
import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.Vectors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated input never makes a decoder fail with anything but a {@link CodecException}, and the
 * inputs that are valid decode to what they encode. Each property mixes in, or counts, inputs that must
 * decode, so that a decoder rejecting everything fails it as surely as one that throws the wrong exception.
 */
class HostileInputPropertyTest {
    private static final List<VectorFrame> VECTOR_FRAMES = loadFrames();
    private static final int[] OP_CODES = {0, 1, 2, 100, 101, 102, 103, 104, 105, 200, 201, 300, 301, 302, 400, 401,
            402, 1000, 1001, 1002, 1003, 2001, 31337};
    private static final int[] RESPONSE_CODES = {0, 1, 2, 100, 200, 302, 303, 402, 505, 601};
    /** Offsets in a frame (envelope then header, §1.1 and §2.1) of fields any value of which is valid. */
    private static final int SESSION_ID = 4;
    private static final int REQUEST_ID = 8;
    private static final int SITE_INFO_SERIAL = 20 + 12;
    private static final int RECURSION_COUNT = 20 + 14;
    private static final int EXPIRATION = 20 + 16;

    /** A golden frame and its decoding. */
    private record VectorFrame(String name, byte[] frame, Message message) {
    }

    private static List<VectorFrame> loadFrames() {
        List<VectorFrame> out = new ArrayList<>();
        for (String file : List.of(Vectors.HANDLE, Vectors.CN)) {
            for (JsonNode v : Vectors.all(file)) {
                if (v.has("tcp_hex")) {
                    byte[] frame = hex(v.get("tcp_hex").asText());
                    try {
                        out.add(new VectorFrame(v.get("name").asText(), frame, MessageCodec.DEFAULT.decode(frame)));
                    } catch (CodecException e) {
                        throw new AssertionError("vector " + v.get("name").asText() + " does not decode", e);
                    }
                }
            }
        }
        return out;
    }

    /** A frame and, when it is known to be valid, the message it encodes (else null: it may go either way). */
    record Frame(byte[] bytes, Message expected) {
    }

    /** Decodes the frame: a valid one must give its message, any other a message or a codec error. */
    private static Message check(Frame f) {
        Message m = decodeCounted(f.bytes());
        if (f.expected() != null) {
            assertThat(m).as("a valid frame decodes").isNotNull();
            assertThat(m).usingRecursiveComparison(sameContent()).isEqualTo(f.expected());
            assertThat(m.envelope().messageLength()).isEqualTo(f.bytes().length - EnvelopeLayout.LENGTH);
        }
        return m;
    }

    private static Arbitrary<Frame> validFrames() {
        return MessageArbitraries.messages().map(m -> new Frame(MessageCodec.DEFAULT.encode(m), m));
    }

    @Provide
    Arbitrary<Frame> randomOrValidFrames() {
        Arbitrary<Frame> junk = MessageArbitraries.bytes(300).map(b -> new Frame(b, null));
        return Arbitraries.frequencyOf(Tuple.of(4, junk), Tuple.of(1, validFrames()));
    }

    @Property(tries = 1000)
    void randomFramesFailCleanlyAndValidOnesDecode(@ForAll("randomOrValidFrames") Frame frame) {
        check(frame);
        requireBothOutcomes(OUTCOME, 10);
    }

    /** A message (header, body, credential) behind an envelope whose byte 2 is random. */
    record Behind(int byte2, byte[] message, Message expected) {
    }

    /** EC is kept clear: an encrypted message is never parsed, so it would test nothing. */
    @Provide
    Arbitrary<Behind> randomOrValidMessagesBehindAnEnvelope() {
        Arbitrary<Integer> byte2 = Arbitraries.integers().between(0, 255).map(b -> b & ~Envelope.ENCRYPTED);
        Arbitrary<Behind> junk = Combinators.combine(byte2, MessageArbitraries.bytes(300))
                .as((b, message) -> new Behind(b, message, null));
        Arbitrary<Behind> valid = Combinators.combine(byte2, MessageArbitraries.messages()).as((b, m) -> {
            byte[] frame = MessageCodec.DEFAULT.encode(m);
            return new Behind(b, Arrays.copyOfRange(frame, EnvelopeLayout.LENGTH, frame.length), m);
        });
        return Arbitraries.frequencyOf(Tuple.of(4, junk), Tuple.of(1, valid));
    }

    @Property(tries = 1000)
    void randomMessagesBehindAValidEnvelopeFailCleanlyAndValidOnesDecode(
            @ForAll("randomOrValidMessagesBehindAnEnvelope") Behind behind) {
        byte[] message = behind.message();
        ByteBuffer frame = ByteBuffer.allocate(20 + message.length);
        frame.put((byte) 2).put((byte) 11).put((byte) behind.byte2()).put((byte) 11).putInt(0).putInt(1)
                .putInt(0).putInt(message.length).put(message);

        Message m = decodeCounted(frame.array());

        if (behind.expected() != null) {
            assertThat(m).as("a valid message decodes").isNotNull();
            assertThat(m).usingRecursiveComparison(sameContent()).ignoringFields("envelope")
                    .isEqualTo(behind.expected());
        }
        if (m != null) {
            assertThat(m.envelope().flags()).isEqualTo(behind.byte2() & 0xE0);
            assertThat(m.envelope().requestId()).isEqualTo(1);
            assertThat(m.envelope().messageLength()).isEqualTo(message.length);
        }
        requireBothOutcomes(OUTCOME, 10);
    }

    /** A frame with a known header (opCode, responseCode, opFlags written) and a random body. */
    record KnownHeader(int opCode, int responseCode, int opFlags, byte[] frame) {
    }

    @Provide
    Arbitrary<KnownHeader> framesWithKnownHeaders() {
        return Combinators.combine(Arbitraries.of(Arrays.stream(OP_CODES).boxed().toList()),
                Arbitraries.of(Arrays.stream(RESPONSE_CODES).boxed().toList()), Arbitraries.integers(),
                MessageArbitraries.bytes(200), credentialSections())
                .as((op, rc, flags, body, tail) -> {
                    ByteBuffer b = ByteBuffer.allocate(20 + 24 + body.length + tail.length);
                    b.put(new byte[] {2, 11, 2, 11}).putInt(0).putInt(1).putInt(0).putInt(24 + body.length + tail.length);
                    b.putInt(op).putInt(rc).putInt(flags).putShort((short) 1).put((byte) 0)
                            .put((byte) 0).putInt(2_000_000_000).putInt(body.length).put(body).put(tail);
                    return new KnownHeader(op, rc, flags, b.array());
                });
    }

    /** What follows a body: nothing, an empty credential section (§2.3), or random bytes. */
    private static Arbitrary<byte[]> credentialSections() {
        return Arbitraries.oneOf(Arbitraries.just(new byte[0]), Arbitraries.just(new byte[4]),
                MessageArbitraries.bytes(40));
    }

    /** Bodies of opaque layouts (unknown opCodes) and empty ones accept much of this: a share must decode. */
    @Property(tries = 3000)
    void randomBodiesUnderEveryKnownHeaderFailCleanlyOrKeepTheirHeader(
            @ForAll("framesWithKnownHeaders") KnownHeader known) {
        Message m = decodeCounted(known.frame());

        if (m != null) {
            assertThat(m.header()).isEqualTo(new MessageHeader(OpCode.valueOf(known.opCode()),
                    ResponseCode.valueOf(known.responseCode()), known.opFlags(), 1, 0, 2_000_000_000L));
            assertThat(m.requestId()).isEqualTo(1);
        }
        requireBothOutcomes(OUTCOME, 5);
    }

    @Property(tries = 3000)
    void mutatedVectorsFailCleanlyOrDecode(@ForAll @IntRange(min = 0, max = 1000) int which,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 4095) Integer> positions,
            @ForAll @Size(min = 6, max = 6) byte[] values) {
        byte[] frame = VECTOR_FRAMES.get(which % VECTOR_FRAMES.size()).frame().clone();
        for (int i = 0; i < positions.size(); i++) {
            frame[positions.get(i) % frame.length] = values[i];
        }

        decodeCounted(frame);

        // Many bytes of a vector are free text or key material: changing them leaves a valid frame.
        requireBothOutcomes(OUTCOME, 10);
    }

    /**
     * Session and request ids, site serial, recursion count and expiration may hold any value: a vector with
     * them changed decodes to the vector's message with the new values. (The vectors' MACs and signatures no
     * longer verify, but checking them is not the decoder's job.)
     */
    @Property(tries = 500)
    void vectorsWithOtherIdsSerialRecursionAndExpirationDecodeToTheSameMessage(
            @ForAll @IntRange(min = 0, max = 1000) int which, @ForAll int sessionId, @ForAll int requestId,
            @ForAll @IntRange(min = 0, max = 0xFFFF) int serial, @ForAll @IntRange(min = 0, max = 255) int recursion,
            @ForAll int expiration) {
        VectorFrame vector = VECTOR_FRAMES.get(which % VECTOR_FRAMES.size());
        Message original = vector.message();
        ByteBuffer frame = ByteBuffer.wrap(vector.frame().clone()).putInt(SESSION_ID, sessionId)
                .putInt(REQUEST_ID, requestId);
        Envelope e = original.envelope();
        Envelope envelope = new Envelope(e.majorVersion(), e.minorVersion(), e.flags(), e.suggestedMajor(),
                e.suggestedMinor(), sessionId, requestId, e.messageId(), e.messageLength());
        Message expected;
        if (original.header() == null) { // encrypted: the header is inside the ciphertext
            expected = new Message(envelope, null, null, original.body(), null, null);
        } else {
            frame.putShort(SITE_INFO_SERIAL, (short) serial).put(RECURSION_COUNT, (byte) recursion)
                    .putInt(EXPIRATION, expiration);
            MessageHeader h = original.header();
            expected = new Message(envelope, new MessageHeader(h.opCode(), h.responseCode(), h.opFlags(), serial,
                    recursion, expiration & 0xFFFF_FFFFL), original.requestDigest(), original.body(),
                    original.credential(), null);
        }

        Message m = check(new Frame(frame.array(), expected));

        if (m.header() != null) {
            assertThat(m.headerAndBody().toByteArray()).isEqualTo(Arrays.copyOfRange(frame.array(), EnvelopeLayout.LENGTH,
                    EnvelopeLayout.LENGTH + original.headerAndBody().length()));
        }
    }

    /** One decoder of value data, and a generator of valid values with their encoding. */
    private record ValueDecoder(String name, HostileInput.Decoding<?> decoding, Arbitrary<ValueData> valid) {
    }

    /** A valid encoding for {@code codec} and the value it encodes. */
    record ValueData(String codec, byte[] data, Object expected) {
    }

    private static final List<ValueDecoder> VALUE_CODECS = List.of(
            new ValueDecoder("HS_ADMIN", AdminValueCodec::decode, Combinators.combine(
                    Arbitraries.integers().between(0, 0xFFFF), MessageArbitraries.handles(), Arbitraries.integers())
                    .as(AdminValue::new).map(a -> new ValueData("HS_ADMIN", AdminValueCodec.encode(a), a))),
            new ValueDecoder("HS_SITE", SiteInfoCodec::decode, MessageArbitraries.sites()
                    .map(s -> new ValueData("HS_SITE", SiteInfoCodec.encode(s), s))),
            new ValueDecoder("HS_VLIST", ValueListCodec::decode, MessageArbitraries.references().list().ofMaxSize(5)
                    .map(refs -> new ValueData("HS_VLIST", ValueListCodec.encode(refs), refs))),
            new ValueDecoder("credential", CredentialCodec::decode, MessageArbitraries.credentials()
                    .map(c -> new ValueData("credential", CredentialCodec.encode(c), c))),
            new ValueDecoder("handle value", io.idnode.codec.ValueCodec::decode, MessageArbitraries.values()
                    .map(v -> new ValueData("handle value", io.idnode.codec.ValueCodec.encode(v), v))));

    /** One valid encoding for each value codec. */
    @Provide
    Arbitrary<List<ValueData>> validValueData() {
        return Combinators.combine(VALUE_CODECS.stream().map(ValueDecoder::valid).toList()).as(List::copyOf);
    }

    /**
     * Every value decoder gets random data and the valid data of every codec: its own decodes to the value
     * encoded; the others' (well-formed, but of another layout) and the random data fail cleanly or decode.
     */
    @Property(tries = 500)
    void valueDataFailsCleanlyAndValidDataDecodes(@ForAll @Size(max = 120) byte[] random,
            @ForAll("validValueData") List<ValueData> valid) {
        for (ValueDecoder codec : VALUE_CODECS) {
            decodeCounted(codec.name(), codec.decoding(), random);
            for (ValueData input : valid) {
                Object decoded = decodeCounted(codec.name(), codec.decoding(), input.data());
                if (codec.name().equals(input.codec())) {
                    assertThat(decoded).as("valid %s data decodes", codec.name()).isNotNull();
                    assertThat(decoded).usingRecursiveComparison(sameContent()).isEqualTo(input.expected());
                }
            }
        }
    }

    @Property(tries = 1000)
    void mutatedSiteDataFailsCleanlyOrDecodes(@ForAll @IntRange(min = 0, max = 400) int position,
            @ForAll byte value, @ForAll boolean hugeLength) {
        byte[] data = hex(Vectors.vector(Vectors.HANDLE, "hs_site_data_127_0_0_1_2641").get("data_hex").asText());
        int at = position % data.length;
        boolean huge = hugeLength && at + 4 <= data.length;
        if (huge) {
            ByteBuffer.wrap(data).putInt(at, 0x7FFF_FFF0);
        } else {
            data[at] = value;
        }

        decodeCounted(huge ? "huge length" : "one byte", SiteInfoCodec::decode, data);

        // Most single bytes are addresses, ports, key bits or text; many 4-byte windows hit a length or count.
        requireBothOutcomes("one byte", 10);
        requireBothOutcomes("huge length", 10);
    }
}
