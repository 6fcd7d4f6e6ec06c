package io.idnode.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoadSettingsTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2641);
    static final List<String> KEYS = List.of("88.100.1/A", "88.100.1/B");

    static LoadSettings.Builder minimal() {
        return LoadSettings.builder().target(LOCAL).keys(KEYS);
    }

    @Test
    void everyUnsetSettingTakesItsDocumentedDefault() {
        LoadSettings s = minimal().build();

        assertThat(s.transport()).isEqualTo(LoadSettings.DEFAULT_TRANSPORT);
        assertThat(s.inFlight()).isEqualTo(LoadSettings.DEFAULT_IN_FLIGHT);
        assertThat(s.connections()).isEqualTo(LoadSettings.DEFAULT_CONNECTIONS);
        assertThat(s.threads()).isEqualTo(LoadSettings.DEFAULT_THREADS);
        assertThat(s.warmup()).isEqualTo(LoadSettings.DEFAULT_WARMUP);
        assertThat(s.duration()).isEqualTo(LoadSettings.DEFAULT_DURATION);
        assertThat(s.timeout()).isEqualTo(LoadSettings.DEFAULT_TIMEOUT);
        assertThat(s.openLoop()).isFalse();
        assertThat(s.boundedByCount()).isFalse();
        assertThat(s.chooser().size()).isEqualTo(KEYS.size());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("inFlight", (UnaryOperator<LoadSettings.Builder>) b -> b.inFlight(0)),
                Arguments.of("rate", (UnaryOperator<LoadSettings.Builder>) b -> b.rate(-1)),
                Arguments.of("rate", (UnaryOperator<LoadSettings.Builder>) b -> b.rate(Double.NaN)),
                Arguments.of("connections", (UnaryOperator<LoadSettings.Builder>) b -> b.connections(0)),
                Arguments.of("threads", (UnaryOperator<LoadSettings.Builder>) b -> b.threads(0)),
                Arguments.of("warmup", (UnaryOperator<LoadSettings.Builder>) b -> b.warmup(Duration.ofMillis(-1))),
                Arguments.of("duration", (UnaryOperator<LoadSettings.Builder>) b -> b.duration(Duration.ZERO)),
                Arguments.of("requests", (UnaryOperator<LoadSettings.Builder>) b -> b.requests(0)),
                Arguments.of("timeout", (UnaryOperator<LoadSettings.Builder>) b -> b.timeout(Duration.ZERO)),
                Arguments.of("keys", (UnaryOperator<LoadSettings.Builder>) b -> b.keys(List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueIsRefusedNamingItsSetting(String setting, UnaryOperator<LoadSettings.Builder> set) {
        assertThatThrownBy(() -> set.apply(minimal())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(setting + " must");
    }

    @Test
    void targetAndKeysAreRequired() {
        assertThatThrownBy(() -> LoadSettings.builder().keys(KEYS).build()).hasMessage("target must be given");
        assertThatThrownBy(() -> LoadSettings.builder().target(LOCAL).build()).hasMessage("keys must be given");
    }

    @Test
    void theChooserMustPickAmongTheKeys() {
        assertThatThrownBy(() -> minimal().chooser(KeyChooser.uniform(3)).build())
                .hasMessage("chooser picks among 3 keys, but there are 2");
    }

    @Test
    void aRunIsBoundedByADurationOrACountNotBoth() {
        assertThat(minimal().requests(500).build().requests()).isEqualTo(500);
        assertThat(minimal().requests(500).build().boundedByCount()).isTrue();
        assertThatThrownBy(() -> minimal().requests(500).duration(Duration.ofSeconds(1)).build())
                .hasMessage("give a duration or a number of requests, not both");
    }
}
