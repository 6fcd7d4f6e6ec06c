package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/idnode}: run as a real process, in a copy of the module layout whose jar starts
 * {@link LauncherProbe} (which prints what the JVM got), and once against the built node jar when it exists.
 */
class LauncherTest {
    private static final Path MODULE = Paths.get("").toAbsolutePath();
    private static final Path LAUNCHER = MODULE.resolve("bin/idnode");
    private static final Path OPTIONS = MODULE.resolve("bin/jvm.options");

    @TempDir
    Path temp;

    record Run(long pid, int exit, List<String> lines) {
        List<String> values(String key) {
            List<String> found = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith(key + "=")) {
                    found.add(line.substring(key.length() + 1));
                }
            }
            return found;
        }
    }

    @BeforeEach
    void needsShell() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh on this machine");
    }

    @Test
    void launcherIsExecutableAndItsOptionsFileExists() {
        assertThat(LAUNCHER).isExecutable();
        assertThat(OPTIONS).isRegularFile();
    }

    @Test
    void passesTheOptionsFileThenTheEnvironmentThenTheArgumentsUnchanged() throws Exception {
        Path launcher = probeLayout();
        Run run = run(launcher, Map.of("IDNODE_JAVA_OPTS", " -Didnode.test.env=1   -Didnode.test.last=env "),
                "serve", "--data", "a folder with spaces", "", "*");
        assertThat(run.exit()).as("%s", run.lines()).isZero();
        // the environment comes after the file, so it overrides it
        List<String> expected = new ArrayList<>(optionsOf(OPTIONS));
        expected.addAll(List.of("-Didnode.test.env=1", "-Didnode.test.last=env"));
        assertThat(run.values("option")).containsExactlyElementsOf(expected);
        assertThat(run.values("arg")).containsExactly("serve", "--data", "a folder with spaces", "", "*");
        // exec: the JVM runs as the launcher's own process
        assertThat(run.values("pid")).containsExactly(Long.toString(run.pid()));
        assertThat(run.values("MALLOC_ARENA_MAX")).containsExactly("2");
    }

    @Test
    void readsOneOptionALineIgnoringCommentsAndBlankLines() throws Exception {
        Path launcher = probeLayout();
        Files.writeString(launcher.resolveSibling("jvm.options"), String.join("\n",
                "# a comment line",
                "",
                "   -Didnode.test.a=1   # why this option",
                "\t-Didnode.test.b=two words",
                "-Didnode.test.c=3") /* no newline at the end */);
        Run run = run(launcher, Map.of());
        assertThat(run.exit()).as("%s", run.lines()).isZero();
        assertThat(run.values("option"))
                .containsExactly("-Didnode.test.a=1", "-Didnode.test.b=two words", "-Didnode.test.c=3");
    }

    @Test
    void keepsAnArenaLimitSetByTheOperator() throws Exception {
        Run run = run(probeLayout(), Map.of("MALLOC_ARENA_MAX", "4"));
        assertThat(run.values("MALLOC_ARENA_MAX")).containsExactly("4");
    }

    @Test
    void refusesToStartWithoutTheJar() throws Exception {
        Path launcher = probeLayout();
        Files.delete(launcher.getParent().resolveSibling("target").resolve("resolver-server.jar"));
        Run run = run(launcher, Map.of(), "--version");
        assertThat(run.exit()).isNotZero();
        assertThat(String.join("\n", run.lines())).contains("resolver-server.jar not found");
    }

    @Test
    void startsTheBuiltNode() throws Exception {
        Path jar = MODULE.resolve("target/resolver-server.jar");
        assumeTrue(Files.isRegularFile(jar), "resolver-server.jar not built yet (mvn package)");
        Run run = run(LAUNCHER, Map.of(), "--version");
        assertThat(run.exit()).as("%s", run.lines()).isZero();
        assertThat(run.lines()).contains("idnode 0.1.0");
    }

    /** A copy of bin/ beside a target/resolver-server.jar that runs {@link LauncherProbe} from the test classes. */
    private Path probeLayout() throws IOException, URISyntaxException {
        Path bin = Files.createDirectories(temp.resolve("module/bin"));
        Path target = Files.createDirectories(temp.resolve("module/target"));
        Files.copy(LAUNCHER, bin.resolve("idnode"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(OPTIONS, bin.resolve("jvm.options"));
        Path classes = Path.of(LauncherProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        try (OutputStream out = Files.newOutputStream(target.resolve("resolver-server.jar"));
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return bin.resolve("idnode");
    }

    private static Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("IDNODE_JAVA_OPTS");
        pb.environment().remove("MALLOC_ARENA_MAX");
        pb.environment().putAll(env);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Run(p.pid(), p.exitValue(), out.lines().toList());
    }

    /** The options of a jvm.options file, as the launcher reads them. */
    private static List<String> optionsOf(Path file) throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            int hash = line.indexOf('#');
            String option = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return options;
    }
}
