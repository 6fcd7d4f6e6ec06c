package io.idnode.server.ratelimit;

import java.net.InetAddress;

/** IP addresses as integers, big-endian, for masking and hashing. */
final class AddressBits {
    private AddressBits() {
    }

    /**
     * The 32 bits of an IPv4 address. The array {@code getAddress()} makes does not leave this method, so the
     * JIT's escape analysis removes it ({@code SourceLimitsBenchmark}: 0 bytes allocated a call). An IPv6
     * address has no such accessor: its {@code getAddress()} is a clone that stays (32 bytes a call).
     */
    static int ipv4(InetAddress address) {
        return ipv4(address.getAddress());
    }

    static int ipv4(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }

    /** The 64 bits of {@code b} from {@code offset}. */
    static long long64(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | b[offset + i] & 0xFF;
        }
        return v;
    }
}
