package io.idnode.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local control channel of a running node: a UNIX-domain socket {@code DIR/run/control.sock} in a folder
 * only the node's user may enter, through which the command line asks the node for what needs its open store
 * (today an online backup). One request per connection, one line each way: {@code backup PATH} is answered
 * {@code ok TEXT} or {@code error TEXT}. Requests are served one at a time on a thread of their own.
 */
final class ControlSocket implements AutoCloseable {
    /** Folder of the socket inside the data folder. */
    static final String FOLDER = "run";
    /** File name of the socket. */
    static final String FILE = "control.sock";
    /** Longest request or reply line, in bytes. */
    static final int MAX_LINE = 8192;

    private static final Logger LOG = LoggerFactory.getLogger(ControlSocket.class);

    /** What the node does for a request. */
    @FunctionalInterface
    interface Backups {
        /** Writes a backup to {@code target}; the text says what was written. */
        String backup(Path target) throws Exception;
    }

    private final ServerSocketChannel server;
    private final Path socket;
    private final Backups backups;
    private final Thread thread;
    // The connection whose request line is being read, if any: close() cuts off a client that sends nothing.
    private volatile SocketChannel reading;

    private ControlSocket(ServerSocketChannel server, Path socket, Backups backups) {
        this.server = server;
        this.socket = socket;
        this.backups = backups;
        this.thread = new Thread(this::serve, "control");
        thread.setDaemon(true);
    }

    /** The socket's path in data folder {@code dataDir}. */
    static Path path(Path dataDir) {
        return dataDir.resolve(FOLDER).resolve(FILE);
    }

    /**
     * Listens on the socket of {@code dataDir}, replacing one a killed node left behind (the caller holds the
     * store, so no other node uses it).
     */
    static ControlSocket open(Path dataDir, Backups backups) throws IOException {
        Path folder = dataDir.resolve(FOLDER);
        if (!Files.isDirectory(folder)) {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(folder);
            }
        }
        Path socket = path(dataDir);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        ControlSocket control = new ControlSocket(server, socket, backups);
        control.thread.start();
        return control;
    }

    /**
     * Sends {@code request} to the node running on {@code dataDir} and returns its reply line, or empty if no
     * node listens there (no socket, or one left behind by a node that is gone).
     */
    static Optional<String> ask(Path dataDir, String request) throws IOException {
        Path socket = path(dataDir);
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (ConnectException e) {
                return Optional.empty();
            }
            OutputStream out = Channels.newOutputStream(channel);
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = readLine(Channels.newInputStream(channel));
            if (reply == null) {
                throw new IOException("the node on " + dataDir + " closed the control socket without a reply");
            }
            return Optional.of(reply);
        }
    }

    private void serve() {
        while (true) {
            try (SocketChannel channel = server.accept()) {
                reading = channel;
                if (!server.isOpen()) {
                    return; // closed meanwhile: close() may not have seen this connection
                }
                String request = readLine(Channels.newInputStream(channel));
                reading = null;
                String reply = answer(request);
                OutputStream out = Channels.newOutputStream(channel);
                out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (ClosedChannelException e) {
                if (!server.isOpen()) {
                    return;
                }
            } catch (IOException e) {
                LOG.warn("control request failed: {}", e.toString());
            } finally {
                reading = null;
            }
        }
    }

    private String answer(String request) {
        if (request == null || !request.startsWith("backup ")) {
            return "error unknown request (expected: backup PATH)";
        }
        Path target = Path.of(request.substring("backup ".length()));
        try {
            String done = backups.backup(target);
            LOG.info("backup written: {}", done);
            return "ok " + done;
        } catch (Exception e) {
            LOG.warn("backup to {} failed: {}", target, e.getMessage());
            return "error " + oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }

    /** A line of at most {@link #MAX_LINE} bytes without its end, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        byte[] line = new byte[MAX_LINE];
        int n = 0;
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return new String(line, 0, n, StandardCharsets.UTF_8);
            }
            if (n == MAX_LINE) {
                throw new IOException("control line longer than " + MAX_LINE + " bytes");
            }
            line[n++] = (byte) b;
        }
        return n == 0 ? null : new String(line, 0, n, StandardCharsets.UTF_8);
    }

    /** Stops listening, lets a request being answered finish, and removes the socket file. */
    @Override
    public void close() {
        try {
            server.close();
            SocketChannel c = reading;
            if (c != null) {
                c.close();
            }
            thread.join();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("closing the control socket {} failed: {}", socket, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
