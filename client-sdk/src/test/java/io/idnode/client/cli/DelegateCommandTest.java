package io.idnode.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.client.HandleClient;
import io.idnode.client.Identity;
import io.idnode.client.Values;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.server.Node;
import io.idnode.server.TestNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code idctl delegate} keeps a parent's delegation in step with its child: after the child node moves to another
 * port (its site's serial goes up), the parent's administrator runs it again with the child's new site file, and a
 * client that knows only the top-level node follows the referrals to the child's new address. An older site file
 * is refused and changes nothing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DelegateCommandTest {
    @TempDir
    Path temp;

    record Run(int exit, String out, String err) {
    }

    static Run idctl(String... args) {
        CommandLine cl = Idctl.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Run delegate(Node parent, Path parentDir, String parentPrefix, String child, Path siteFile) {
        return idctl("delegate", "--node", "127.0.0.1:" + parent.port(), "--identity", "300:0.NA/" + parentPrefix,
                "--key", parentDir.resolve("keys/admin.pem").toString(), child, siteFile.toString(),
                "--ttl", "60");
    }

    static List<String> urlsFromTop(Node top, String handle) {
        try (HandleClient client = HandleClient.builder().site(top.site()).operationTimeout(Duration.ofSeconds(30))
                .build()) {
            return client.resolve(handle).join().values().stream().filter(v -> v.type().equals("URL"))
                    .map(HandleValue::dataAsString).toList();
        }
    }

    static SiteInfo delegatedSite(Node parent, String prefixHandle) throws Exception {
        HandleRecord r = parent.store().get(prefixHandle);
        for (HandleValue v : r.values()) {
            if (v.type().equals(ValueTypes.HS_SITE)) {
                return SiteInfoCodec.decode(v.data());
            }
        }
        throw new AssertionError("no HS_SITE in " + prefixHandle);
    }

    @Test
    void aChildThatMovedIsReachedThroughTheParentOnceTheDelegationIsRunAgain() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Path topDir = temp.resolve("top");
            Path secondaryDir = temp.resolve("secondary");
            Path childDir = temp.resolve("child");
            Node top = Node.start(TestNode.config(topDir).prefixes(List.of("88")).build());
            open.add(top);
            Node secondary = Node.start(TestNode.config(secondaryDir).prefixes(List.of("88.100")).build());
            open.add(secondary);
            Node child = Node.start(TestNode.config(childDir).prefixes(List.of("88.100.1")).build());
            try (HandleClient admin = HandleClient.builder().node("127.0.0.1:" + child.port()).identity(Identity.of(
                    new ValueReference("0.NA/88.100.1", 300), child.keys().admin().getPrivate())).build()) {
                admin.create("88.100.1/PUMP-1", List.of(Values.url(1, "https://example.com/pump-1"))).join();
            }
            Path oldSite = temp.resolve("old-siteinfo.bin");
            Files.copy(Node.siteFile(childDir), oldSite);

            assertThat(delegate(top, topDir, "88", "88.100", Node.siteFile(secondaryDir)).exit()).isZero();
            Run first = delegate(secondary, secondaryDir, "88.100", "88.100.1", childDir.resolve("siteinfo.json"));
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains("created");
            assertThat(urlsFromTop(top, "88.100.1/PUMP-1")).containsExactly("https://example.com/pump-1");

            int oldPort = child.port();
            child.close();
            Node moved = Node.start(TestNode.config(childDir).prefixes(List.of("88.100.1")).build());
            open.add(moved);
            assertThat(moved.port()).isNotEqualTo(oldPort);
            assertThat(moved.site().serialNumber()).isGreaterThan(SiteInfoCodec.decode(Files.readAllBytes(oldSite))
                    .serialNumber());

            Run again = delegate(secondary, secondaryDir, "88.100", "88.100.1", Node.siteFile(childDir));
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.out()).contains("updated");
            assertThat(delegatedSite(secondary, "0.NA/88.100.1")).isEqualTo(moved.site());
            assertThat(urlsFromTop(top, "88.100.1/PUMP-1")).containsExactly("https://example.com/pump-1");

            Run stale = delegate(secondary, secondaryDir, "88.100", "88.100.1", oldSite);
            assertThat(stale.exit()).isEqualTo(ExitCode.FAILED.code());
            assertThat(stale.err()).contains("serial");
            assertThat(delegatedSite(secondary, "0.NA/88.100.1")).isEqualTo(moved.site());

            Path notASite = temp.resolve("not-a-site.json");
            Files.copy(oldSite, notASite, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(notASite, "{\"servers\": 1}");
            Run bad = delegate(secondary, secondaryDir, "88.100", "88.100.1", notASite);
            assertThat(bad.exit()).isEqualTo(ExitCode.USAGE.code());
            assertThat(bad.err()).contains("not a site file");
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }
}
