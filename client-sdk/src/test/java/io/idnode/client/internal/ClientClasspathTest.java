package io.idnode.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What an application depending on the client gets on its classpath: resolver-core's codec, not the rest. */
class ClientClasspathTest {
    @ParameterizedTest
    @ValueSource(strings = {"org.rocksdb.RocksDB", "io.idnode.server.NodeServer", "io.idnode.loadgen.LoadGenerator"})
    void theStoreEngineTheServerAndTheBenchmarksAreAbsent(String className) {
        assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.idnode.codec.MessageCodec", "io.netty.channel.Channel"})
    void theCodecAndNettyArePresent(String className) throws ClassNotFoundException {
        assertThat(Class.forName(className).getName()).isEqualTo(className);
    }
}
