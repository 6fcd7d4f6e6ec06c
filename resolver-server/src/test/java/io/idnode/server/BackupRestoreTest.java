package io.idnode.server;

import static io.idnode.server.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.PublicKeyAuthenticationInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup} and {@code restore}: a backup taken through a running node's control socket while stock
 * clients create handles holds every create acknowledged before it began, and a node started on its restore
 * answers them, as the same node; without a running node the store is backed up directly; nothing is ever
 * overwritten.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BackupRestoreTest {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);
    static final String PREFIX = "88.100.1";

    @TempDir
    Path temp;

    /** Creates {@code PREFIX/LOAD-name-n} for n = 0, 1, ... until stopped, adding each acknowledged one. */
    static final class Creator extends Thread {
        final List<String> acknowledged;
        final CountDownLatch progress;
        final AtomicBoolean stop;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final HandleResolver resolver;
        final PublicKeyAuthenticationInfo auth;

        Creator(String name, Path data, Path configDir, List<String> acknowledged, CountDownLatch progress,
                AtomicBoolean stop) throws Exception {
            super("creator-" + name);
            this.acknowledged = acknowledged;
            this.progress = progress;
            this.stop = stop;
            this.resolver = StockClients.resolver(data, configDir, Interface.SP_HDL_TCP);
            PrivateKey admin = KEY_FILES.readPrivateKeyPem(data.resolve(Node.KEYS_DIR).resolve(NodeKeys.ADMIN_KEY));
            this.auth = new PublicKeyAuthenticationInfo(Util.encodeString("0.NA/" + PREFIX), 300, admin);
        }

        @Override
        public void run() {
            try {
                for (int i = 0; !stop.get(); i++) {
                    String h = PREFIX + "/LOAD-" + getName() + "-" + i;
                    AbstractResponse r = resolver.processRequest(new CreateHandleRequest(Util.encodeString(h),
                            new net.handle.hdllib.HandleValue[] {new net.handle.hdllib.HandleValue(1, "URL", "u-" + h)},
                            auth));
                    if (r.responseCode != 1) {
                        throw new AssertionError(h + " answered " + r);
                    }
                    acknowledged.add(h);
                    progress.countDown();
                }
            } catch (Throwable e) {
                failure.set(e);
                while (progress.getCount() > 0) {
                    progress.countDown(); // let the test see the failure instead of waiting
                }
            }
        }
    }

    @Test
    void aBackupUnderCreateLoadRestoresToANodeThatAnswersEveryAcknowledgedCreate() throws Exception {
        Path data = temp.resolve("data");
        Path backup = temp.resolve("backup");
        Path restored = temp.resolve("restored");
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> beforeBackup;
        List<String> afterBackup;
        try (Node node = Node.start(TestNode.config(data).prefixes(List.of(PREFIX)).build())) {
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch warmedUp = new CountDownLatch(20);
            List<Creator> creators = new ArrayList<>();
            for (String name : List.of("A", "B")) {
                creators.add(new Creator(name, data, temp.resolve("client-" + name), acknowledged, warmedUp, stop));
            }
            creators.forEach(Thread::start);
            try {
                warmedUp.await();
                beforeBackup = List.copyOf(acknowledged);

                CommandRun r = run("backup", "--data", data.toString(), backup.toString());

                afterBackup = List.copyOf(acknowledged);
                assertThat(r.exit()).as(r.err()).isZero();
                assertThat(r.out()).startsWith("online backup of " + data.toAbsolutePath());
                // The load goes on after the backup: the node kept serving.
                int seen = afterBackup.size();
                while (acknowledged.size() < seen + 10 && creators.stream().allMatch(Thread::isAlive)) {
                    Thread.onSpinWait();
                }
            } finally {
                stop.set(true);
                for (Creator c : creators) {
                    c.join();
                }
            }
            for (Creator c : creators) {
                assertThat(c.failure.get()).as(c.getName()).isNull();
            }
            assertThat(acknowledged.size()).isGreaterThanOrEqualTo(afterBackup.size() + 10);

            CommandRun r = run("restore", "--data", restored.toString(), backup.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("restored " + backup + " into " + restored + " (about ");

            try (Node again = Node.start(TestNode.config(restored).prefixes(List.of(PREFIX)).build())) {
                assertThat(again.keys().node().getPublic()).isEqualTo(node.keys().node().getPublic());
                HandleResolver resolver = StockClients.resolver(restored, temp.resolve("client-restored"),
                        Interface.SP_HDL_TCP);
                for (String h : beforeBackup) {
                    net.handle.hdllib.HandleValue[] values = resolver.resolveHandle(h);
                    assertThat(values).as(h).hasSize(1);
                    assertThat(values[0].getDataAsString()).isEqualTo("u-" + h);
                }
                // Whatever else the backup holds was asked for by a creator.
                for (String h : again.store().list(PREFIX, null, 100_000)) {
                    assertThat(h).startsWith(PREFIX + "/LOAD-");
                }
            }
        }
        assertThat(Files.exists(data.resolve(ControlSocket.FOLDER).resolve(ControlSocket.FILE)))
                .as("the socket goes with the node").isFalse();
    }

    @Test
    void withoutARunningNodeTheStoreIsBackedUpDirectly() throws Exception {
        Path data = temp.resolve("data");
        try (Node node = Node.start(TestNode.config(data).build())) {
            node.store().put(record("88.100.1/OFFLINE"));
        }
        // A socket file left by a node that was killed: nobody answers on it.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(ControlSocket.path(data)));
        }
        assertThat(ControlSocket.path(data)).exists();

        CommandRun r = run("backup", "--data", data.toString(), temp.resolve("backup").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("offline backup of " + data.toAbsolutePath());
        assertThat(names(temp.resolve("backup"))).containsExactly("db", "keys", "siteinfo.bin", "siteinfo.json");
        assertThat(run("restore", "--data", temp.resolve("restored").toString(), temp.resolve("backup").toString())
                .exit()).isZero();
        try (Node restored = Node.start(TestNode.config(temp.resolve("restored")).build())) {
            assertThat(restored.store().get("88.100.1/OFFLINE")).isNotNull();
        }
    }

    @Test
    void neitherCommandOverwritesAnythingOrLeavesAnythingWhenRefused() throws Exception {
        Path data = temp.resolve("data");
        try (Node node = Node.start(TestNode.config(data).build())) {
            Path existing = Files.createDirectories(temp.resolve("existing"));
            Files.writeString(existing.resolve("keep.txt"), "mine");
            CommandRun r = run("backup", "--data", data.toString(), existing.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("error: " + existing + " already exists; nothing is overwritten"
                    + System.lineSeparator());

            r = run("backup", "--data", data.toString(), temp.resolve("no/such/parent").toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("error: the folder " + temp.resolve("no/such") + " that would hold");

            assertThat(run("backup", "--data", data.toString(), temp.resolve("backup").toString()).exit()).isZero();
            r = run("restore", "--data", existing.toString(), temp.resolve("backup").toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("error: --data " + existing + " already exists and is not an empty folder;"
                    + " nothing is overwritten" + System.lineSeparator());
            assertThat(names(existing)).containsExactly("keep.txt");

            r = run("restore", "--data", temp.resolve("other").toString(), existing.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("error: " + existing + " is not a backup (it has no db folder)"
                    + System.lineSeparator());

            r = run("backup", "--data", temp.resolve("nowhere").toString(), temp.resolve("b2").toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("error: --data " + temp.resolve("nowhere") + " holds no node store");
        }
        assertThat(names(temp)).containsExactlyInAnyOrder("data", "existing", "backup");
    }

    @Test
    void aRestoreGoesIntoAnEmptyFolder() throws Exception {
        Path data = temp.resolve("data");
        try (Node node = Node.start(TestNode.config(data).build())) {
            node.store().put(record("88.100.1/EMPTY-OK"));
            node.backup(temp.resolve("backup"));
        }
        Path empty = Files.createDirectories(temp.resolve("empty"));
        CommandRun r = run("restore", "--data", empty.toString(), temp.resolve("backup").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        try (Node restored = Node.start(TestNode.config(empty).build())) {
            assertThat(restored.store().get("88.100.1/EMPTY-OK")).isNotNull();
        }
    }

    private static HandleRecord record(String handle) {
        return HandleRecord.of(handle, List.of(HandleValue.builder(1, "URL").data("https://example.com").build()));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
