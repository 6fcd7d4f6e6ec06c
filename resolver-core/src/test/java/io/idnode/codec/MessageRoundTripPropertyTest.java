package io.idnode.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random valid messages and values of every layout survive encode then decode unchanged. */
class MessageRoundTripPropertyTest {
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;

    @Provide
    Arbitrary<Message> messages() {
        return MessageArbitraries.messages();
    }

    @Property(tries = 1000)
    void everyBodyLayoutRoundTrips(@ForAll("messages") Message m) throws CodecException {
        byte[] frame = CODEC.encode(m);
        Message decoded = CODEC.decode(frame);

        assertThat(decoded).usingRecursiveComparison()
                .ignoringFields("headerAndBody", "envelope.messageLength")
                .withEqualsForType(Bytes::equals, Bytes.class)
                .withEqualsForType(HandleValue::equals, HandleValue.class)
                .isEqualTo(m);
        assertThat(decoded.body()).isEqualTo(m.body());
        assertThat(decoded.envelope().messageLength()).isEqualTo(frame.length - EnvelopeLayout.LENGTH);
        ByteBuf headerAndBody = Unpooled.buffer();
        try {
            CODEC.encodeHeaderAndBody(m, headerAndBody);
            assertThat(decoded.headerAndBody()).isEqualTo(Bytes.wrap(Codecs.toArray(headerAndBody)));
        } finally {
            headerAndBody.release();
        }
        assertThat(CODEC.encode(decoded)).isEqualTo(frame);
    }

    @Provide
    Arbitrary<Credential> credentials() {
        return MessageArbitraries.credentials();
    }

    @Property(tries = 300)
    void credentialsRoundTrip(@ForAll("credentials") Credential c) throws CodecException {
        assertThat(CredentialCodec.decode(CredentialCodec.encode(c))).isEqualTo(c);
    }

    @Provide
    Arbitrary<SiteInfo> sites() {
        return MessageArbitraries.sites();
    }

    @Property(tries = 300)
    void sitesRoundTrip(@ForAll("sites") SiteInfo site) throws CodecException {
        assertThat(SiteInfoCodec.decode(SiteInfoCodec.encode(site))).usingRecursiveComparison().isEqualTo(site);
    }

    @Provide
    Arbitrary<AdminValue> admins() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), MessageArbitraries.handles(),
                Arbitraries.integers()).as(AdminValue::new);
    }

    @Property(tries = 300)
    void adminValuesRoundTrip(@ForAll("admins") AdminValue admin) throws CodecException {
        assertThat(AdminValueCodec.decode(AdminValueCodec.encode(admin))).isEqualTo(admin);
    }

    @Provide
    Arbitrary<List<ValueReference>> valueLists() {
        return MessageArbitraries.references().list().ofMaxSize(5);
    }

    @Property(tries = 300)
    void valueListsRoundTrip(@ForAll("valueLists") List<ValueReference> refs) throws CodecException {
        assertThat(ValueListCodec.decode(ValueListCodec.encode(refs))).isEqualTo(refs);
    }
}
