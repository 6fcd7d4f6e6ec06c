package io.idnode.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleRecord;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.Node;
import io.idnode.server.NodeConfig;
import io.idnode.store.RecordStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generator against a real node in this JVM: half the keys exist, half are answered "not found". */
class LoadGeneratorNodeTest {
    static final KeyPattern PATTERN = KeyPattern.parse("88.100.1/P%08d:40");

    @TempDir
    static Path temp;

    static Node node;

    @BeforeAll
    static void startNode() throws Exception {
        node = Node.start(NodeConfig.builder().dataDir(temp.resolve("data")).port(0).httpPort(0).demo(true).build());
        List<RecordStore.RecordWrite> writes = new ArrayList<>();
        int now = (int) (System.currentTimeMillis() / 1000);
        for (int i = 0; i < PATTERN.count(); i += 2) {
            HandleRecord r = SampleRecords.record(PATTERN.key(i), now);
            writes.add(RecordStore.RecordWrite.put(r));
        }
        node.store().write(writes);
    }

    /** The node's live sessions, from its meter. */
    static double liveSessions() {
        return node.meters().get("idnode.sessions").gauge().value();
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void countsEveryAnswerByResponseCode(Transport transport) throws Exception {
        LoadReport r = LoadGenerator.run(Runs.closed(node.port(), transport, Runs.keys(PATTERN), 8).build(),
                Runs.selfPid());

        assertThat(r.sent()).isEqualTo(Runs.REQUESTS);
        assertThat(r.received()).isEqualTo(Runs.REQUESTS);
        assertThat(r.timeouts()).isZero();
        assertThat(r.errors()).isZero();
        assertThat(r.unmatched()).isZero();
        assertThat(r.byCode()).containsOnlyKeys(ResponseCode.SUCCESS.code(), ResponseCode.HANDLE_NOT_FOUND.code());
        assertThat(r.byCode().get(ResponseCode.SUCCESS.code()) + r.byCode().get(ResponseCode.HANDLE_NOT_FOUND.code()))
                .isEqualTo(Runs.REQUESTS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void certifiedRunsCountTheSignedAnswers(Transport transport) throws Exception {
        LoadReport r = LoadGenerator.run(Runs.closed(node.port(), transport, Runs.keys(PATTERN), 8).certified(true)
                .requests(200).build(), null);

        assertThat(r.received()).isEqualTo(200);
        assertThat(r.timeouts()).isZero();
        assertThat(r.errors()).isZero();
        // Every reply to a certified request carries the node's signature, the "not found" ones included.
        assertThat(r.signed()).isEqualTo(200);
        assertThat(r.toJson()).contains("\"signed\":200");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "TCP"})
    void certifiedRunsInSessionsCheckTheMacOfEveryAnswer(Transport transport) throws Exception {
        double before = liveSessions();
        LoadReport r = LoadGenerator.run(Runs.closed(node.port(), transport, Runs.keys(PATTERN), 8).certified(true)
                .session(true).requests(200).build(), null);

        assertThat(r.received()).isEqualTo(200);
        assertThat(r.timeouts()).isZero();
        assertThat(r.errors()).isZero();
        // Every reply came MAC-signed in the session, and its MAC verified with the lane's session key.
        assertThat(r.signed()).isEqualTo(200);
        assertThat(r.byCode()).containsOnlyKeys(ResponseCode.SUCCESS.code(), ResponseCode.HANDLE_NOT_FOUND.code());
        // One session per I/O thread of the generator (two here), set up on the node.
        assertThat(liveSessions() - before).isEqualTo(2.0);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void plainRunsGetUnsignedAnswers(Transport transport) throws Exception {
        LoadReport r = LoadGenerator.run(Runs.closed(node.port(), transport, Runs.keys(PATTERN), 8).requests(200)
                .build(), null);

        assertThat(r.received()).isEqualTo(200);
        assertThat(r.signed()).isZero();
    }
}
