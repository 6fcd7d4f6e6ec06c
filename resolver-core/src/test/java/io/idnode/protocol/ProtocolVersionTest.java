package io.idnode.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Versions and the features that change with them, as handle-protocol.md §1.2, §2.3, §2.4 and §6 state them. */
class ProtocolVersionTest {

    /** Each feature and the first minor version of 2.x that has it. */
    static Stream<Arguments> features() {
        return Stream.of(
                feature("hasSecretKeyAnswers", ProtocolVersion::hasSecretKeyAnswers, 1),
                feature("typesRequestDigests", ProtocolVersion::typesRequestDigests, 1),
                feature("sessionCipherUsesIv", ProtocolVersion::sessionCipherUsesIv, 4),
                feature("macCoversVersionAndIds", ProtocolVersion::macCoversVersionAndIds, 5),
                feature("signsVersionAndIds", ProtocolVersion::signsVersionAndIds, 6),
                feature("namesHashes", ProtocolVersion::namesHashes, 6),
                feature("signedPrefixKeepsEachId", ProtocolVersion::signedPrefixKeepsEachId, 7),
                feature("digestsWithSha256", ProtocolVersion::digestsWithSha256, 7),
                feature("macsWithHmacSha256", ProtocolVersion::macsWithHmacSha256, 7),
                feature("answersSecretKeyWithPbkdf2", ProtocolVersion::answersSecretKeyWithPbkdf2, 7),
                feature("signsRsaWithSha256", ProtocolVersion::signsRsaWithSha256, 7),
                feature("signsSuggestedVersion", ProtocolVersion::signsSuggestedVersion, 8),
                feature("encryptsRestrictedValues", ProtocolVersion::encryptsRestrictedValues, 8),
                feature("signsAllKeysWithSha256", ProtocolVersion::signsAllKeysWithSha256, 11));
    }

    private static Arguments feature(String name, Predicate<ProtocolVersion> check, int firstMinor) {
        return Arguments.of(name, check, firstMinor);
    }

    @ParameterizedTest(name = "{0} from 2.{2}")
    @MethodSource("features")
    void featureStartsAtItsVersion(String name, Predicate<ProtocolVersion> check, int firstMinor) {
        for (int minor = 0; minor <= 12; minor++) {
            assertThat(check.test(ProtocolVersion.of(2, minor))).as("2." + minor).isEqualTo(minor >= firstMinor);
        }
        assertThat(check.test(ProtocolVersion.of(3, 0))).isTrue();
        assertThat(check.test(ProtocolVersion.of(1, 99))).isFalse();
    }

    @Test
    void versionsAreOrderedAndWrittenAsOneNumber() {
        ProtocolVersion v23 = ProtocolVersion.of(2, 3);
        ProtocolVersion v211 = ProtocolVersion.of(2, 11);

        assertThat(v211).isSameAs(ProtocolVersion.CURRENT).isSameAs(ProtocolVersion.fromNumber(211))
                .isEqualTo(new ProtocolVersion(2, 11));
        assertThat(v211.number()).isEqualTo(211);
        assertThat(v23.isBefore(v211)).isTrue();
        assertThat(v211.isBefore(v23)).isFalse();
        assertThat(v211.isBefore(v211)).isFalse();
        assertThat(ProtocolVersion.of(2, 10).compareTo(ProtocolVersion.of(2, 9))).isPositive();
        assertThat(ProtocolVersion.of(1, 200).compareTo(ProtocolVersion.of(2, 0))).isNegative();
        assertThat(v211).hasToString("2.11");
        assertThatThrownBy(() -> ProtocolVersion.of(2, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProtocolVersion.of(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplyIsAtTheLowerOfTheSuggestedAndTheCurrentVersion() {
        Envelope older = new Envelope(2, 3, 0, 2, 5, 4, 9, 0, 0);
        Envelope newer = new Envelope(2, 11, 0, 2, 12, 4, 9, 0, 0);
        Envelope stock = Envelope.request(0, 9);

        assertThat(older.replyEnvelope(4).version()).isEqualTo(ProtocolVersion.of(2, 5));
        assertThat(newer.replyEnvelope(4).version()).isEqualTo(ProtocolVersion.CURRENT);
        assertThat(stock.replyEnvelope(6)).isEqualTo(new Envelope(2, 11, 0, 2, 11, 6, 9, 0, 0));
        assertThat(older.replyEnvelope(4).suggestedVersion()).isEqualTo(ProtocolVersion.CURRENT);
    }
}
