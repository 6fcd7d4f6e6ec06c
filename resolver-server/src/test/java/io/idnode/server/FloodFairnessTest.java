package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Message;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One address floods the node far beyond what it can answer (pipelined resolutions and unauthenticated
 * deletes on as many TCP connections as it may open, and resolutions over UDP sent without waiting), while a
 * second address asks one request at a time. The second is not starved: every one of its TCP requests is
 * answered as it should be (resolutions 1, deletes challenged with 402) while the flood runs. How many of
 * its requests were answered and how fast, and how far beyond the node's capacity the flood was, is printed
 * as a report: on a shared machine those are figures to read, not to assert.
 */
class FloodFairnessTest {
    static final String DEMO = "88.100.1/PUMP-2026-000123";
    static final int CONNECTIONS = 4;
    static final int BATCH = 64;
    static final int WELL_BEHAVED = 10;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true)
            .tcpMaxConnectionsPerSource(CONNECTIONS));

    final LongAdder floodSent = new LongAdder();
    final LongAdder floodAnswered = new LongAdder();
    final LongAdder floodBusy = new LongAdder();
    final CountDownLatch floodRunning = new CountDownLatch(2_000);
    volatile boolean stop;

    static Requests requests() {
        return Requests.madeAt(Instant.now());
    }

    /** {@link #BATCH} requests of one kind, encoded back to back: what one write of the flood sends. */
    static byte[] batch(boolean deletes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < BATCH; i++) {
            Requests r = requests().withRequestId(i);
            out.writeBytes(MessageCodec.DEFAULT.encode(deletes ? r.deleteHandle(DEMO) : r.resolution(DEMO)));
        }
        return out.toByteArray();
    }

    void answered(int rc) {
        floodAnswered.increment();
        floodRunning.countDown();
        if (rc == ResponseCode.SERVER_TOO_BUSY.code()) {
            floodBusy.increment();
        }
    }

    /** A flooding connection: one thread writes batches as fast as the node takes them, one counts replies. */
    List<Thread> tcpFlood(InetAddress from, boolean deletes) throws IOException {
        Socket s = RawClient.connect(from, NODE.port());
        byte[] batch = batch(deletes);
        Thread writer = new Thread(() -> {
            try (OutputStream out = s.getOutputStream()) {
                while (!stop) {
                    out.write(batch);
                    floodSent.add(BATCH);
                }
            } catch (IOException closed) {
                // the flood ends with the socket
            }
        }, "flood-writer");
        Thread reader = new Thread(() -> {
            byte[] message = new byte[64 * 1024];
            try (DataInputStream in = new DataInputStream(s.getInputStream())) {
                byte[] envelope = new byte[EnvelopeLayout.LENGTH];
                while (!stop) {
                    in.readFully(envelope);
                    int length = ByteBuffer.wrap(envelope).getInt(EnvelopeLayout.MESSAGE_LENGTH);
                    byte[] body = length <= message.length ? message : new byte[length];
                    in.readFully(body, 0, length);
                    answered(ByteBuffer.wrap(body).getInt(4));
                }
            } catch (IOException closed) {
                // the flood ends with the socket
            }
        }, "flood-reader");
        return List.of(writer, reader);
    }

    /** A UDP flood: one thread sends resolutions without waiting, one counts the replies. */
    List<Thread> udpFlood(InetAddress from) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0));
        socket.setSoTimeout(200);
        byte[] request = MessageCodec.DEFAULT.encode(requests().resolution(DEMO));
        DatagramPacket packet = new DatagramPacket(request, request.length,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), NODE.port()));
        Thread sender = new Thread(() -> {
            try {
                while (!stop) {
                    socket.send(packet);
                    floodSent.increment();
                }
            } catch (IOException closed) {
                // the flood ends with the socket
            }
        }, "flood-udp-sender");
        Thread receiver = new Thread(() -> {
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            try (socket) {
                while (!stop) {
                    try {
                        socket.receive(reply);
                        answered(ByteBuffer.wrap(reply.getData(), 0, reply.getLength()).getInt(24));
                    } catch (SocketTimeoutException quiet) {
                        // check the stop flag
                    }
                }
            } catch (IOException closed) {
                // the flood ends with the socket
            }
        }, "flood-udp-receiver");
        return List.of(sender, receiver);
    }

    /** Latencies in microseconds: their count, median, 99th percentile and maximum. */
    static String percentiles(List<Long> micros) {
        if (micros.isEmpty()) {
            return "none";
        }
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("n=%d p50=%d us p99=%d us max=%d us", sorted.length, sorted[sorted.length / 2],
                sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)],
                sorted[sorted.length - 1]);
    }

    @Test
    void aFloodFromOneAddressDoesNotStarveAnother() throws Exception {
        InetAddress flooder = RawClient.loopback(2);
        List<Thread> flood = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            flood.addAll(tcpFlood(flooder, i == 0));
        }
        flood.addAll(udpFlood(flooder));
        flood.forEach(Thread::start);
        try {
            assertThat(floodRunning.await(60, TimeUnit.SECONDS)).as("the flood is answered at all").isTrue();
            long start = System.nanoTime();
            long sentBefore = floodSent.sum();
            long answeredBefore = floodAnswered.sum();

            List<Long> tcpLatency = new ArrayList<>();
            List<Long> udpLatency = new ArrayList<>();
            List<Integer> tcpCodes = new ArrayList<>();
            try (Socket polite = RawClient.connect(RawClient.loopback(1), NODE.port());
                    DatagramSocket politeUdp = new DatagramSocket(new InetSocketAddress(RawClient.loopback(1), 0))) {
                politeUdp.setSoTimeout(500);
                for (int i = 0; i < WELL_BEHAVED; i++) {
                    Requests r = requests().withRequestId(5000 + i);
                    Message request = i % 5 == 4 ? r.deleteHandle(DEMO) : r.resolution(DEMO);
                    long t = System.nanoTime();
                    Message reply = RawClient.exchange(polite, request);
                    tcpLatency.add((System.nanoTime() - t) / 1000);
                    assertThat(reply.requestId()).isEqualTo(5000 + i);
                    tcpCodes.add(reply.responseCode().code());

                    byte[] datagram = MessageCodec.DEFAULT.encode(r.withRequestId(6000 + i).resolution(DEMO));
                    DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
                    t = System.nanoTime();
                    for (int attempt = 0; attempt < 2; attempt++) {
                        politeUdp.send(new DatagramPacket(datagram, datagram.length,
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), NODE.port())));
                        try {
                            politeUdp.receive(answer);
                            udpLatency.add((System.nanoTime() - t) / 1000);
                            break;
                        } catch (SocketTimeoutException lost) {
                            // dropped with the flood's datagrams: ask again, as a client does
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long sent = floodSent.sum() - sentBefore;
            long answered = floodAnswered.sum() - answeredBefore;

            System.out.printf("%nFlood fairness report (%d cores, node and clients in one JVM)%n",
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("  flood from %s: %d TCP connections + UDP, %.0f requests/s offered, %.0f replies/s"
                    + " (%.1fx what the node answered), %d answered 3 in all%n", flooder.getHostAddress(),
                    CONNECTIONS, sent / seconds, answered / seconds, answered == 0 ? 0.0 : (double) sent / answered,
                    floodBusy.sum());
            System.out.printf("  well-behaved over TCP: %d/%d answered, codes %s, %s%n", tcpCodes.size(),
                    WELL_BEHAVED, tcpCodes, percentiles(tcpLatency));
            System.out.printf("  well-behaved over UDP: %d/%d answered (up to 2 tries of 0.5 s), %s%n",
                    udpLatency.size(), WELL_BEHAVED, percentiles(udpLatency));

            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < WELL_BEHAVED; i++) {
                expected.add(i % 5 == 4 ? 402 : 1);
            }
            assertThat(tcpCodes).isEqualTo(expected);
            assertThat(answered).as("the flood was being answered all along").isPositive();
            assertThat(flood).as("the flood still runs when the well-behaved client is done").allMatch(Thread::isAlive);
        } finally {
            stop = true;
            for (Thread t : flood) {
                t.join(5_000);
            }
        }
    }
}
