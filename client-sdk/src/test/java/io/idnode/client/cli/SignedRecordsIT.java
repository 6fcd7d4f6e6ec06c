package io.idnode.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.ValueReference;
import io.idnode.server.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed records with {@code idctl} as a user runs it (the packaged launcher as a child process, a real node
 * on loopback): keys, a self-issued root at 88.111.1/0.0, a certificate for the line's key, records created with
 * {@code --sign-with}, and {@code verify} on a good record, a tampered value, an expired certificate and an
 * unknown root, each with its report and exit code.
 */
class SignedRecordsIT {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1", "88.111.1"))
            .admins(List.of(new ValueReference("0.NA/88.100.1", 300))));

    private static final long CHILD_SECONDS = 300;

    @TempDir
    static Path work;
    private static Path admin;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void rootAndLineCertificates() throws Exception {
        admin = work.resolve("admin.properties");
        ok(idctl("profile", "--profile", admin.toString(), "--node", "127.0.0.1:" + NODE.port(), "--identity",
                "300:0.NA/88.100.1", "--key", NODE.dataDir().resolve("keys/admin.pem").toString()));
        for (String name : List.of("root", "line1", "line2", "stranger")) {
            ok(idctl("keygen", file(name).toString()));
        }
        ok(idctl("cert", "issue", "--key", file("root.pem"), "--issuer", "300:88.111.1/0.0", "--subject-key",
                file("root.pub.pem"), "--perm", "everything", "--out", file("root.jws")));
        ok(idctl("create", "--profile", admin.toString(), "88.111.1/0.0", "--value", "300:HS_PUBKEY="
                + file("root.pub.pem"), "--value", "400:HS_CERT=" + read("root.jws")));
        ok(idctl("cert", "issue", "--key", file("root.pem"), "--issuer", "300:88.111.1/0.0", "--subject",
                "300:88.111.1/LINE-1", "--subject-key", file("line1.pub.pem"), "--perm",
                "handlesUnderThisPrefix:0.NA/88.100.1", "--out", file("line1.jws")));
        ok(idctl("create", "--profile", admin.toString(), "88.111.1/LINE-1", "--value", "400:HS_CERT="
                + read("line1.jws")));
        ok(idctl("cert", "issue", "--key", file("root.pem"), "--issuer", "300:88.111.1/0.0", "--subject",
                "300:88.111.1/LINE-2", "--subject-key", file("line2.pub.pem"), "--perm", "everything",
                "--valid-until", "2026-01-01T00:00:00Z", "--out", file("line2.jws")));
        ok(idctl("create", "--profile", admin.toString(), "88.111.1/LINE-2", "--value", "400:HS_CERT="
                + read("line2.jws")));
    }

    @Test
    void aGoodRecordVerifies() throws Exception {
        ok(idctl("create", "--profile", admin.toString(), "88.100.1/PUMP-1", "--value", "1:URL=https://example.com/1",
                "--sign-with", file("line1.pem"), "--cert", file("line1.jws")));
        Run run = verify("88.100.1/PUMP-1", "88.111.1/0.0@" + file("root.pub.pem"));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("88.100.1/PUMP-1: VERIFIED").contains("by 300:88.111.1/LINE-1: valid")
                .contains("values covered and intact: 1, 100")
                .contains("300:88.111.1/LINE-1 certified by 300:88.111.1/0.0 (HS_CERT at 88.111.1/LINE-1:400)")
                .contains("chain ends at trusted root 300:88.111.1/0.0");
    }

    @Test
    void aTamperedValueFails() throws Exception {
        ok(idctl("create", "--profile", admin.toString(), "88.100.1/PUMP-2", "--value", "1:URL=https://example.com/2",
                "--sign-with", file("line1.pem"), "--cert", file("line1.jws")));
        ok(idctl("modify", "--profile", admin.toString(), "88.100.1/PUMP-2", "--value", "1:URL=https://evil.example"));
        Run run = verify("88.100.1/PUMP-2", "88.111.1/0.0@" + file("root.pub.pem"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("88.100.1/PUMP-2: NOT VERIFIED")
                .contains("values changed since signing (digest differs): 1");
    }

    @Test
    void anExpiredCertificateFails() throws Exception {
        ok(idctl("create", "--profile", admin.toString(), "88.100.1/PUMP-3", "--value", "1:URL=https://example.com/3",
                "--sign-with", file("line2.pem"), "--cert", file("line2.jws")));
        Run run = verify("88.100.1/PUMP-3", "88.111.1/0.0@" + file("root.pub.pem"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("NOT VERIFIED")
                .contains("problem: certificate of 300:88.111.1/LINE-2: expired at 2026-01-01T00:00:00Z");
    }

    @Test
    void anUnknownRootFails() throws Exception {
        ok(idctl("create", "--profile", admin.toString(), "88.100.1/PUMP-4", "--value", "1:URL=https://example.com/4",
                "--sign-with", file("line1.pem"), "--cert", file("line1.jws")));
        Run run = verify("88.100.1/PUMP-4", file("stranger.pub.pem"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("NOT VERIFIED").contains("it is self-issued by 300:88.111.1/0.0, which is not a"
                + " configured trust root");
    }

    @Test
    void aKeyThatIsNotTheCertifiedOneIsAUsageError() throws Exception {
        Run run = idctl("create", "--profile", admin.toString(), "88.100.1/PUMP-5", "--value", "1:URL=x",
                "--sign-with", file("stranger.pem"), "--cert", file("line1.jws"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("stranger.pem is not the key").contains("certifies for 300:88.111.1/LINE-1");
    }

    private static Run verify(String handle, String root) throws Exception {
        return idctl("verify", "--profile", admin.toString(), handle, "--trust-root", root);
    }

    private static String file(String name) {
        return work.resolve(name).toString();
    }

    private static String read(String name) throws Exception {
        return Files.readString(work.resolve(name), StandardCharsets.US_ASCII).strip();
    }

    private static void ok(Run run) {
        assertThat(run.exit()).as("exit code; stderr: %s; stdout: %s", run.err(), run.out()).isZero();
    }

    private static int runs;

    private static synchronized Run idctl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of("bin", "idctl").toAbsolutePath().toString());
        command.addAll(List.of(args));
        Path out = work.resolve("run-" + runs + ".out");
        Path err = work.resolve("run-" + runs++ + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("IDCTL_PROFILE", work.resolve("default-profile.properties").toString());
        Process p = pb.start();
        assertThat(p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)).as("idctl %s ended", List.of(args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
