package io.idnode.server;

import static io.idnode.server.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.idnode.model.ValueReference;
import io.idnode.server.ratelimit.SourceLimitSettings;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code serve} turns its options into the node's settings; a refused setting ends it with one line naming
 * the option and what to fix, exit code 2, before the data folder is created.
 */
class ServeCommandTest {
    @TempDir
    Path temp;

    /** The settings {@code serve} would start a node with. */
    static NodeConfig settings(String... options) {
        CommandLine cl = Main.commandLine();
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(List.of(options));
        cl.parseArgs(args.toArray(String[]::new));
        return cl.getSubcommands().get("serve").<Main.Serve>getCommand().settings();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "--port; 70000; --port must be 0..65535, was 70000",
        "--port; -1; --port must be 0..65535, was -1",
        "--prefix; 88.100.1/x; --prefix must be like 88.100.1 (no '/'), was '88.100.1/x'",
        "--admin; 0.NA/88.100.1; --admin must be INDEX:HANDLE, e.g. 300:0.NA/88.100.1, was '0.NA/88.100.1'",
        "--admin; x:0.NA/88.100.1; --admin must be INDEX:HANDLE with a number as INDEX, e.g. 300:0.NA/88.100.1,"
                + " was 'x:0.NA/88.100.1'",
        "--admin; -1:0.NA/88.100.1; --admin must have an index of 0 or more and a handle, was '-1:0.NA/88.100.1'",
        "--tcp-idle; 0; --tcp-idle must be positive, was 0 s",
        "--threads; -2; --threads must be 0 (one per core) or more, was -2",
        "--cache; -1; --cache must be 0 (no cache) or more records, was -1",
        "--block-cache; 0; --block-cache must be 1..1048576 MiB, was 0",
        "--max-sessions; 0; --max-sessions must be at least 1, was 0",
        "--session-timeout; 0; --session-timeout must be at least 1 second, was 0 s",
        "--advertise; 0.0.0.0; --advertise must be an address clients can reach, not the wildcard 0.0.0.0",
        "--audit-refusals; -1; --audit-refusals must be 0 (count only) or more, was -1",
        "--udp-rate; -1; --udp-rate must be 0 (no limit)..62500000 a second, was -1",
        "--exempt-networks; 10.0.0.0/8,nowhere; --exempt-networks must list networks as ADDRESS/BITS, but"
                + " 'nowhere' has no IP address (e.g. 127.0.0.0/8, ::1/128)",
    })
    void aRefusedSettingIsOneLineNamingTheOptionAndNothingIsCreated(String option, String value, String message) {
        Path data = temp.resolve("data");

        CommandRun run = run("serve", "--data", data.toString(), option, value);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + message + System.lineSeparator());
        assertThat(run.out()).isEmpty();
        assertThat(data).doesNotExist();
    }

    @Test
    void aValueOfTheWrongTypeIsOneLineNamingTheOption() {
        Path data = temp.resolve("data");

        CommandRun run = run("serve", "--data", data.toString(), "--port", "many");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: Invalid value for option '--port': 'many' is not an int"
                + " (resolver-server serve --help lists the options)" + System.lineSeparator());
        assertThat(data).doesNotExist();
    }

    @Test
    void aDataFolderThatIsAFileIsRefusedByName() throws Exception {
        Path file = Files.writeString(temp.resolve("data"), "not a folder");

        NodeConfig config = settings("--data", file.toString(), "--port", "0");

        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> Node.start(config));
        assertThat(e.setting()).isEqualTo("data");
        assertThat(e.getMessage()).isEqualTo("data must be a folder, but " + file + " is a file");
        assertThat(Files.readString(file)).isEqualTo("not a folder");
    }

    @Test
    void withoutOptionsTheNodeRunsWithTheDefaults() {
        NodeConfig cli = settings();
        NodeConfig defaults = NodeConfig.builder().build();

        assertThat(cli.dataDir()).isEqualTo(defaults.dataDir());
        assertThat(cli.bindAddress()).isEqualTo(defaults.bindAddress());
        assertThat(cli.advertiseAddress()).isEqualTo(defaults.advertiseAddress());
        assertThat(cli.port()).isEqualTo(defaults.port());
        assertThat(cli.prefixes()).isEqualTo(defaults.prefixes());
        assertThat(cli.demo()).isEqualTo(defaults.demo());
        assertThat(cli.tcpIdleTimeout()).isEqualTo(defaults.tcpIdleTimeout());
        assertThat(cli.eventLoops()).isEqualTo(defaults.eventLoops());
        assertThat(cli.cache().map(c -> c.maximumSize())).isEqualTo(defaults.cache().map(c -> c.maximumSize()));
        assertThat(cli.store()).isEqualTo(defaults.store());
        assertThat(cli.admins()).isEqualTo(defaults.admins());
        assertThat(cli.sessions()).isEqualTo(defaults.sessions());
        assertThat(cli.auditRefusalsPerSecond()).isEqualTo(defaults.auditRefusalsPerSecond()).isEqualTo(10);
        assertThat(cli.sourceLimits()).usingRecursiveComparison().isEqualTo(defaults.sourceLimits());
    }

    @Test
    void limitOptionsReachTheirSettings() {
        NodeConfig config = settings("--udp-max-reply", "1400", "--udp-rate", "0", "--udp-slip", "3",
                "--signature-rate", "9", "--ipv4-network-bits", "20", "--ipv6-network-bits", "48",
                "--rate-table-size", "4096", "--exempt-networks", "10.0.0.0/8,192.0.2.1", "--exempt-networks",
                "2001:db8::/32");

        assertThat(config.sourceLimits()).isEqualTo(new SourceLimitSettings(1400, 0, 3, 9, 20, 48, 4096,
                config.sourceLimits().exempt()));
        assertThat(config.sourceLimits().exempt().networks()).containsExactly("10.0.0.0/8", "192.0.2.1",
                "2001:db8::/32");
        assertThat(settings("--exempt-networks=").sourceLimits().exempt().networks()).isEmpty();
    }

    @Test
    void everyOptionReachesItsSetting() {
        NodeConfig config = settings("--data", "/srv/idnode", "--bind", "0.0.0.0", "--advertise", "127.0.0.2",
                "--port", "0", "--prefix", "77.1", "--prefix", "77.2", "--demo", "--tcp-idle", "5", "--threads", "3",
                "--cache", "0", "--block-cache", "8", "--admin", "300:0.NA/77.1", "--admin", "0:77.1/OPS",
                "--max-sessions", "7", "--session-timeout", "60", "--audit-refusals", "3");

        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/idnode"));
        assertThat(config.bindAddress().isAnyLocalAddress()).isTrue();
        assertThat(config.advertiseAddress().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(config.port()).isZero();
        // Given prefixes replace the default one rather than adding to it.
        assertThat(config.prefixes()).containsExactly("77.1", "77.2");
        assertThat(config.demo()).isTrue();
        assertThat(config.tcpIdleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.eventLoops()).isEqualTo(3);
        assertThat(config.cache()).isEmpty();
        assertThat(config.store().blockCacheBytes()).isEqualTo(8L << 20);
        assertThat(config.admins())
                .containsExactly(new ValueReference("0.NA/77.1", 300), new ValueReference("77.1/OPS", 0));
        assertThat(config.sessions().maxSessions()).isEqualTo(7);
        assertThat(config.sessions().maxTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.auditRefusalsPerSecond()).isEqualTo(3);
    }

    @Test
    void aWildcardBindAdvertisesLoopbackUnlessToldOtherwise() {
        assertThat(settings("--bind", "0.0.0.0").advertiseAddress()).isEqualTo(InetAddress.getLoopbackAddress());
    }
}
