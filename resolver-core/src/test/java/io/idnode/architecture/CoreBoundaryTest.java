package io.idnode.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * resolver-core holds no sockets (STYLE.md, "The house"): netty-all is on its classpath, so Maven cannot keep
 * server-side Netty out; this scan of its main sources does. Buffers are allowed everywhere; the channel
 * handler and codec base classes only in {@code io.idnode.codec.netty}, the adapters the shells plug in.
 */
class CoreBoundaryTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void coreImportsNoNettyTransportNorSockets() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String text = Files.readString(file);
            boolean adapter = file.toString().replace('\\', '/').contains("/io/idnode/codec/netty/");
            Matcher m = IMPORT.matcher(text);
            while (m.find()) {
                String imported = m.group(1);
                if (!allowed(imported, adapter)) {
                    violations.add(MAIN.relativize(file) + ": " + imported);
                }
            }
        }
        assertThat(violations).as("imports that belong in resolver-server").isEmpty();
    }

    @Test
    void theScanSeesTheCodecAndItsNettyAdapters() throws IOException {
        // Guards the test above against scanning the wrong folder and finding nothing.
        List<String> names = sources().stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).contains("MessageCodec.java", "HandleFrameDecoder.java", "RocksDbRecordStore.java");
    }

    static boolean allowed(String imported, boolean nettyAdapter) {
        if (imported.matches("java\\.net\\.(Socket|ServerSocket|DatagramSocket|MulticastSocket|URL|HttpURLConnection)")
                || imported.startsWith("java.net.http.")) {
            return false;
        }
        if (imported.startsWith("java.nio.channels.") && imported.contains("Socket")) {
            return false;
        }
        if (!imported.startsWith("io.netty.")) {
            return true;
        }
        if (imported.startsWith("io.netty.buffer.") || imported.startsWith("io.netty.util.")) {
            return true;
        }
        return nettyAdapter && (imported.startsWith("io.netty.handler.codec.")
                || imported.equals("io.netty.channel.ChannelHandlerContext")
                || imported.startsWith("io.netty.channel.ChannelHandler."));
    }

    @Test
    void rulesRefuseTransportClassesAndAcceptBuffers() {
        assertThat(allowed("io.netty.bootstrap.ServerBootstrap", true)).isFalse();
        assertThat(allowed("io.netty.channel.epoll.EpollDatagramChannel", true)).isFalse();
        assertThat(allowed("io.netty.handler.codec.ByteToMessageDecoder", false)).isFalse();
        assertThat(allowed("java.net.DatagramSocket", false)).isFalse();
        assertThat(allowed("java.nio.channels.SocketChannel", false)).isFalse();
        assertThat(allowed("io.netty.buffer.ByteBuf", false)).isTrue();
        assertThat(allowed("io.netty.handler.codec.ByteToMessageDecoder", true)).isTrue();
        assertThat(allowed("java.net.InetSocketAddress", false)).isTrue();
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
