package io.idnode.client.cli;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.client.AdminPermissions;
import io.idnode.codec.AdminValueCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.server.TestNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code idctl} used as a user uses it: the launcher {@code bin/idctl} running the packaged {@code idctl.jar} as a
 * child process against a real node on loopback. The line's identity is made and granted as the README shows:
 * keygen, an identity handle created by the node's administrator, an HS_ADMIN on the prefix naming it.
 */
class IdctlIT {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> { });

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CHILD_SECONDS = 300;
    private static final String LINE = "300:88.100.1/LINE-1";

    @TempDir
    static Path work;
    private static Path adminProfile;
    private static Path lineProfile;

    /** What a run printed and how it ended. */
    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void grantTheLineAnIdentity() throws Exception {
        adminProfile = work.resolve("admin.properties");
        lineProfile = work.resolve("line.properties");
        String node = "127.0.0.1:" + NODE.port();
        ok(idctl("profile", "--profile", adminProfile.toString(), "--node", node, "--identity", "300:0.NA/88.100.1",
                "--key", NODE.dataDir().resolve("keys/admin.pem").toString()));
        ok(idctl("keygen", work.resolve("line1").toString()));
        ok(idctl("profile", "--profile", lineProfile.toString(), "--node", node, "--identity", LINE, "--key",
                work.resolve("line1.pem").toString()));
        ok(idctl("create", "--profile", adminProfile.toString(), "88.100.1/LINE-1", "--value",
                "300:HS_PUBKEY=" + work.resolve("line1.pub.pem")));
        ok(idctl("add", "--profile", adminProfile.toString(), "0.NA/88.100.1", "--value",
                "101:HS_ADMIN=" + LINE.replace(":", ":registrar:")));
    }

    @Test
    void keygenWritesAPrivateKeyForItsOwnerOnlyAndPrintsTheHsPubkeyValue() throws Exception {
        Run run = idctl("keygen", "--json", work.resolve("k1").toString());
        ok(run);
        JsonNode doc = run.json();
        Path privateKey = Path.of(doc.get("privateKey").asText());
        Path publicKey = Path.of(doc.get("publicKey").asText());
        assertThat(privateKey).isEqualTo(work.resolve("k1.pem").toAbsolutePath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
        CryptoProviders providers = CryptoProviders.create();
        RSAPublicKey key = (RSAPublicKey) new KeyFiles(providers).readPublicKeyPem(publicKey);
        assertThat(doc.at("/hsPubkey/type").asText()).isEqualTo("HS_PUBKEY");
        assertThat(doc.at("/hsPubkey/index").asInt()).isEqualTo(300);
        assertThat(new java.math.BigInteger(1, Base64.getUrlDecoder().decode(doc.at("/hsPubkey/data/value/n").asText())))
                .isEqualTo(key.getModulus());

        Run again = idctl("keygen", work.resolve("k1").toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("k1.pem exists; choose another NAME, or add --force");
    }

    @Test
    void anSm2KeyFromKeygenAdministersAsAnIdentity() throws Exception {
        Run run = idctl("keygen", "--type", "sm2", "--json", work.resolve("sm2line").toString());
        ok(run);
        PrivateKey key = new KeyFiles(CryptoProviders.create()).readPrivateKey(work.resolve("sm2line.pem"), null);
        assertThat(SignatureAlgorithm.forKey(key)).isEqualTo(SignatureAlgorithm.SM2);
        String identity = "300:88.100.1/SM2-LINE";
        ok(idctl("create", "--profile", adminProfile.toString(), "88.100.1/SM2-LINE", "--value",
                "300:HS_PUBKEY=" + work.resolve("sm2line.pub.pem")));
        ok(idctl("add", "--profile", adminProfile.toString(), "0.NA/88.100.1", "--value",
                "103:HS_ADMIN=" + identity.replace(":", ":registrar:")));
        Path sm2Profile = work.resolve("sm2.properties");
        ok(idctl("profile", "--profile", sm2Profile.toString(), "--node", "127.0.0.1:" + NODE.port(), "--identity",
                identity, "--key", work.resolve("sm2line.pem").toString()));
        ok(idctl("create", "--profile", sm2Profile.toString(), "88.100.1/SM2-MADE", "--value",
                "1:URL=https://example.com/sm2"));
        Run resolved = idctl("resolve", "--profile", sm2Profile.toString(), "88.100.1/SM2-MADE");
        ok(resolved);
        assertThat(resolved.out()).contains("https://example.com/sm2");

        Run bad = idctl("keygen", "--type", "sm9", work.resolve("sm9").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--type sm9 is not a key type; use rsa, ec, ed25519 or sm2");
    }

    @Test
    void createThenResolveForPeopleAndForScripts() throws Exception {
        ok(idctl("create", "--profile", lineProfile.toString(), "88.100.1/PUMP-2026-000124", "--value",
                "1:URL=https://example.com/p/124", "--value", "2:PRODUCT_DATA={\"model\":\"P-200\"}"));

        Run human = idctl("resolve", "--profile", lineProfile.toString(), "88.100.1/PUMP-2026-000124");
        ok(human);
        assertThat(human.out()).contains("88.100.1/PUMP-2026-000124").containsPattern(
                "1 +URL +https://example.com/p/124").containsPattern("2 +PRODUCT_DATA +\\{\"model\":\"P-200\"\\}")
                .containsPattern("100 +HS_ADMIN +300:owner:88.100.1/LINE-1");

        Run scripted = idctl("resolve", "--json", "--profile", lineProfile.toString(), "--type", "URL",
                "88.100.1/PUMP-2026-000124");
        ok(scripted);
        JsonNode doc = scripted.json();
        assertThat(doc.get("responseCode").asInt()).isEqualTo(1);
        assertThat(doc.get("handle").asText()).isEqualTo("88.100.1/PUMP-2026-000124");
        assertThat(doc.get("values")).hasSize(1);
        assertThat(doc.at("/values/0/data/value").asText()).isEqualTo("https://example.com/p/124");

        Run exists = idctl("create", "--json", "--profile", lineProfile.toString(), "88.100.1/PUMP-2026-000124",
                "--value", "1:URL=https://example.com/p/999");
        assertThat(exists.exit()).isEqualTo(1);
        assertThat(exists.json().at("/error/kind").asText()).isEqualTo("failed");
        assertThat(exists.err()).contains("88.100.1/PUMP-2026-000124 exists already; use --if-exists overwrite");
    }

    @Test
    void importsA10000LineCsvRegisteringEachIdentifierOnce() throws Exception {
        Path csv = csv("bulk.csv", "BULK", 10_000);
        Run run = idctl("import", "--json", "--profile", lineProfile.toString(), csv.toString());
        ok(run);
        JsonNode doc = run.json();
        assertThat(doc.get("complete").asBoolean()).isTrue();
        assertThat(doc.get("created").asLong()).isEqualTo(10_000);
        assertThat(doc.get("alreadyRegistered").asLong()).isZero();
        assertThat(doc.get("failed").asLong()).isZero();
        assertThat(doc.get("failures")).isEmpty();
        assertThat(Checkpoint.defaultLocation(csv)).doesNotExist();
        assertRegisteredOnce("BULK", 10_000);
    }

    @Test
    void anInterruptedImportResumesAndRegistersEveryIdentifierExactlyOnce() throws Exception {
        Path csv = csv("resume.csv", "RES", 10_000);
        Path checkpoint = Checkpoint.defaultLocation(csv);
        List<String> command = command("import", "--profile", lineProfile.toString(), "--in-flight", "8",
                csv.toString());
        Process child;
        long resumeLine;
        try (WatchService watch = work.getFileSystem().newWatchService()) {
            work.register(watch, ENTRY_CREATE, ENTRY_MODIFY);
            child = start(command, work.resolve("resume-1"));
            resumeLine = awaitCheckpoint(watch, checkpoint);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed, not finished").isNotZero();
        long keptLine = Checkpoint.read(checkpoint).tally().resumeLine();
        assertThat(keptLine).isGreaterThanOrEqualTo(resumeLine).isLessThanOrEqualTo(10_001);

        Run resumed = idctl("import", "--json", "--profile", lineProfile.toString(), csv.toString());
        ok(resumed);
        JsonNode doc = resumed.json();
        assertThat(doc.get("complete").asBoolean()).isTrue();
        assertThat(doc.get("failed").asLong()).isZero();
        assertThat(doc.get("created").asLong() + doc.get("alreadyRegistered").asLong()).isEqualTo(10_000);
        assertThat(checkpoint).doesNotExist();
        assertRegisteredOnce("RES", 10_000);
    }

    @Test
    void badLinesAreSummarisedWithTheirNumbersAndTheRestIsRegistered() throws Exception {
        Path csv = Files.writeString(work.resolve("bad.csv"), "handle,URL,2:EMAIL\n"
                + "88.100.1/BAD-1,https://example.com/1,a@example.com\n"
                + "88.100.1/BAD-2,https://example.com/2\n"
                + "88.100.1/BAD-3,https://example.com/3,\n"
                + "BAD-4,https://example.com/4,\n"
                + "99.9/BAD-5,https://example.com/5,\n"
                + "88.100.1/BAD-6,,\n"
                + "88.100.1/BAD-7,https://example.com/7,\n");
        Run run = idctl("import", "--json", "--profile", lineProfile.toString(), csv.toString());
        assertThat(run.exit()).isEqualTo(1);
        JsonNode doc = run.json();
        assertThat(doc.get("created").asLong()).isEqualTo(3);
        assertThat(doc.get("failed").asLong()).isEqualTo(4);
        assertThat(doc.get("complete").asBoolean()).isTrue();
        List<Long> lines = new ArrayList<>();
        doc.get("failures").forEach(f -> lines.add(f.get("line").asLong()));
        assertThat(lines).containsExactly(3L, 5L, 6L, 7L);
        assertThat(doc.at("/failures/0/message").asText()).isEqualTo("has 2 fields, the header row has 3");
        assertThat(doc.at("/failures/2/handle").asText()).isEqualTo("99.9/BAD-5");
        assertThat(doc.at("/failures/2/message").asText()).startsWith("unknown prefix 99.9:");
        assertThat(NODE.node().store().get("99.9/BAD-5")).isNull();

        Run human = idctl("import", "--profile", lineProfile.toString(), csv.toString());
        assertThat(human.exit()).isEqualTo(1);
        assertThat(human.out()).contains("3 registered (0 created, 3 already registered), 4 failed")
                .contains(csv + ":3: has 2 fields, the header row has 3")
                .contains(csv + ":5: handle 'BAD-4' must look like prefix/suffix")
                .contains(csv + ":6: 99.9/BAD-5: unknown prefix 99.9")
                .contains(csv + ":7: 88.100.1/BAD-6 has no value");
    }

    @Test
    void importsJsonLinesInTheNodesImportForm() throws Exception {
        Path jsonl = Files.writeString(work.resolve("records.jsonl"),
                "{\"handle\":\"88.100.1/JL-1\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":\"https://example.com/jl/1\"},"
                + "{\"index\":100,\"type\":\"HS_ADMIN\",\"data\":{\"format\":\"admin\",\"value\":"
                + "{\"handle\":\"88.100.1/LINE-1\",\"index\":300,\"permissions\":\"011111110011\"}}}]}\n"
                + "\n"
                + "{\"handle\":\"88.100.1/JL-2\",\"values\":[{\"index\":0,\"type\":\"URL\",\"data\":\"x\"}]}\n");
        Run run = idctl("import", "--json", "--profile", lineProfile.toString(), jsonl.toString());
        assertThat(run.exit()).isEqualTo(1);
        JsonNode doc = run.json();
        assertThat(doc.get("format").asText()).isEqualTo("jsonl");
        assertThat(doc.get("created").asLong()).isEqualTo(1);
        assertThat(doc.get("failed").asLong()).isEqualTo(1);
        assertThat(doc.at("/failures/0/line").asLong()).isEqualTo(3);
        assertThat(doc.at("/failures/0/message").asText()).isEqualTo("values[0].index must be > 0, got 0");
        HandleRecord r = NODE.node().store().get("88.100.1/JL-1");
        assertThat(r.value(1).dataAsString()).isEqualTo("https://example.com/jl/1");
        assertThat(decodeAdmin(r.value(100))).isEqualTo(new AdminValue(AdminPermissions.RECORD_OWNER, "88.100.1/LINE-1",
                300));
    }

    @Test
    void errorsSayWhatToFixAndExitWithTheirCode() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Run unreachable = idctl("create", "--json", "--profile", lineProfile.toString(), "--node", "127.0.0.1:" + closed,
                "--timeout", "2", "88.100.1/NOWHERE", "--value", "1:URL=u");
        assertThat(unreachable.exit()).isEqualTo(3);
        assertThat(unreachable.json().at("/error/kind").asText()).isEqualTo("unreachable");
        assertThat(unreachable.err()).contains("unreachable at 127.0.0.1:" + closed);

        ok(idctl("keygen", work.resolve("other").toString()));
        Run wrongKey = idctl("create", "--profile", lineProfile.toString(), "--key", work.resolve("other.pem").toString(),
                "88.100.1/WRONG-KEY", "--value", "1:URL=u");
        assertThat(wrongKey.exit()).isEqualTo(4);
        assertThat(wrongKey.err()).contains("authentication as " + LINE + " failed").contains("wrong key");

        ok(idctl("create", "--profile", adminProfile.toString(), "88.100.1/LINE-2", "--value",
                "300:HS_PUBKEY=" + work.resolve("other.pub.pem")));
        Run noPermission = idctl("create", "--profile", lineProfile.toString(), "--identity", "300:88.100.1/LINE-2",
                "--key", work.resolve("other.pem").toString(), "88.100.1/NOT-ALLOWED", "--value", "1:URL=u");
        assertThat(noPermission.exit()).isEqualTo(4);
        assertThat(noPermission.err()).contains("no permission: 300:88.100.1/LINE-2 may not do this");
        assertThat(NODE.node().store().get("88.100.1/NOT-ALLOWED")).isNull();

        Run unknownPrefix = idctl("create", "--profile", lineProfile.toString(), "77.1/X", "--value", "1:URL=u");
        assertThat(unknownPrefix.exit()).isEqualTo(1);
        assertThat(unknownPrefix.err()).contains("unknown prefix 77.1: the node at 127.0.0.1:" + NODE.port()
                + " does not serve it");

        Run notFound = idctl("resolve", "--profile", lineProfile.toString(), "88.100.1/NO-SUCH-THING");
        assertThat(notFound.exit()).isEqualTo(1);
        assertThat(notFound.err()).contains("88.100.1/NO-SUCH-THING does not exist");

        Run usage = idctl("create", "--profile", lineProfile.toString(), "88.100.1/NO-VALUES");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("no value given: add --value INDEX:TYPE=DATA");
        Run badOption = idctl("resolve", "--frobnicate", "88.100.1/X");
        assertThat(badOption.exit()).isEqualTo(2);
        assertThat(badOption.err()).contains("Unknown option: '--frobnicate'");
    }

    // ---------------------------------------------------------------- helpers

    /** A CSV of {@code rows} identifiers {@code 88.100.1/NAME-n}, each with a URL and a product-data document. */
    private static Path csv(String file, String name, int rows) throws IOException {
        StringBuilder text = new StringBuilder("handle,URL,PRODUCT_DATA\n");
        for (int i = 0; i < rows; i++) {
            text.append("88.100.1/").append(name).append('-').append(i).append(",https://example.com/p/").append(i)
                    .append(",\"{\"\"serial\"\":").append(i).append("}\"\n");
        }
        return Files.writeString(work.resolve(file), text);
    }

    /** Every {@code NAME-n} is in the store once, created once (version 1), with the values of its row. */
    private static void assertRegisteredOnce(String name, int rows) {
        List<String> handles = new ArrayList<>();
        String after = null;
        List<String> page;
        do {
            page = NODE.node().store().list("88.100.1", after, 1000);
            page.stream().filter(h -> h.startsWith("88.100.1/" + name + "-")).forEach(handles::add);
            after = page.isEmpty() ? null : page.get(page.size() - 1);
        } while (page.size() == 1000);
        assertThat(handles).hasSize(rows).doesNotHaveDuplicates();
        for (int i = 0; i < rows; i += 997) {
            HandleRecord r = NODE.node().store().get("88.100.1/" + name + "-" + i);
            assertThat(r.metadata().version()).as("created once, never replaced").isEqualTo(1);
            assertThat(r.value(1).dataAsString()).isEqualTo("https://example.com/p/" + i);
            assertThat(r.value(2).dataAsString()).isEqualTo("{\"serial\":" + i + "}");
            HandleValue admin = r.value(100);
            assertThat(admin.type()).isEqualTo("HS_ADMIN");
            assertThat(decodeAdmin(admin)).isEqualTo(new AdminValue(AdminPermissions.RECORD_OWNER, "88.100.1/LINE-1", 300));
        }
    }

    private static AdminValue decodeAdmin(HandleValue v) {
        try {
            return AdminValueCodec.decode(v.data());
        } catch (io.idnode.codec.CodecException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits (bounded) until the checkpoint shows progress; returns its resume line. */
    private static long awaitCheckpoint(WatchService watch, Path checkpoint) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_SECONDS);
        while (true) {
            if (Files.exists(checkpoint)) {
                try {
                    long line = Checkpoint.read(checkpoint).tally().resumeLine();
                    if (line > 1) {
                        return line;
                    }
                } catch (IOException e) {
                    // replaced while being read: the next event tells
                }
            }
            long left = deadline - System.nanoTime();
            assertThat(left).as("a checkpoint in time").isPositive();
            var key = watch.poll(left, TimeUnit.NANOSECONDS);
            if (key != null) {
                key.pollEvents();
                key.reset();
            }
        }
    }

    private static void ok(Run run) {
        assertThat(run.exit()).as("exit code; stderr: %s; stdout: %s", run.err(), run.out()).isZero();
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of("bin", "idctl").toAbsolutePath().toString());
        command.addAll(List.of(args));
        return command;
    }

    private static Process start(List<String> command, Path outputs) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(outputs.resolveSibling(outputs.getFileName() + ".out")
                .toFile()).redirectError(outputs.resolveSibling(outputs.getFileName() + ".err").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // Never the user's own profile.
        pb.environment().put("IDCTL_PROFILE", work.resolve("default-profile.properties").toString());
        return pb.start();
    }

    private static int runs;

    private static synchronized Run idctl(String... args) throws Exception {
        Path outputs = work.resolve("run-" + runs++);
        Process p = start(command(args), outputs);
        assertThat(p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)).as("idctl %s ended", List.of(args)).isTrue();
        return new Run(p.exitValue(), Files.readString(outputs.resolveSibling(outputs.getFileName() + ".out"),
                StandardCharsets.UTF_8), Files.readString(outputs.resolveSibling(outputs.getFileName() + ".err"),
                StandardCharsets.UTF_8));
    }
}
