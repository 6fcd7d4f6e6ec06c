package io.idnode.server.ratelimit;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IP networks written as {@code ADDRESS/BITS} (a bare address is the one host), e.g.
 * {@code 127.0.0.0/8} or {@code ::1/128}: the sources that limits leave alone. Immutable; {@link #contains}
 * compares bits without allocating.
 */
public final class NetworkSet {
    /** No network. */
    public static final NetworkSet EMPTY = new NetworkSet(List.of());

    private final List<String> written;
    private final int[] v4Networks;
    private final int[] v4Masks;
    private final long[] v6High;
    private final long[] v6Low;
    private final long[] v6HighMasks;
    private final long[] v6LowMasks;

    private NetworkSet(List<String> written) {
        this.written = List.copyOf(written);
        List<byte[]> v4 = new ArrayList<>();
        List<Integer> v4Bits = new ArrayList<>();
        List<byte[]> v6 = new ArrayList<>();
        List<Integer> v6Bits = new ArrayList<>();
        for (String network : written) {
            int slash = network.indexOf('/');
            String address = slash < 0 ? network : network.substring(0, slash);
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
            if (bytes == null) {
                throw new IllegalArgumentException("'" + network + "' has no IP address (e.g. 127.0.0.0/8, ::1/128)");
            }
            int max = bytes.length * 8;
            int bits = max;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(network.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException("'" + network + "' must have 0.." + max + " bits after '/'");
                }
            }
            (bytes.length == 4 ? v4 : v6).add(bytes);
            (bytes.length == 4 ? v4Bits : v6Bits).add(bits);
        }
        v4Networks = new int[v4.size()];
        v4Masks = new int[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            v4Masks[i] = (int) mask(v4Bits.get(i), 32);
            v4Networks[i] = AddressBits.ipv4(v4.get(i)) & v4Masks[i];
        }
        v6High = new long[v6.size()];
        v6Low = new long[v6.size()];
        v6HighMasks = new long[v6.size()];
        v6LowMasks = new long[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            int bits = v6Bits.get(i);
            v6HighMasks[i] = mask(Math.min(bits, 64), 64);
            v6LowMasks[i] = mask(Math.max(bits - 64, 0), 64);
            v6High[i] = AddressBits.long64(v6.get(i), 0) & v6HighMasks[i];
            v6Low[i] = AddressBits.long64(v6.get(i), 8) & v6LowMasks[i];
        }
    }

    /** The networks written in {@code networks}; an {@link IllegalArgumentException} names one that is not. */
    public static NetworkSet parse(List<String> networks) {
        return new NetworkSet(networks.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /** The networks as written (blank ones left out). */
    public List<String> networks() {
        return written;
    }

    /** True if {@code address} lies in one of the networks. */
    public boolean contains(InetAddress address) {
        if (address instanceof Inet4Address) {
            return containsIpv4(AddressBits.ipv4(address));
        }
        byte[] bytes = address.getAddress();
        return containsIpv6(AddressBits.long64(bytes, 0), AddressBits.long64(bytes, 8));
    }

    boolean containsIpv4(int address) {
        for (int i = 0; i < v4Networks.length; i++) {
            if ((address & v4Masks[i]) == v4Networks[i]) {
                return true;
            }
        }
        return false;
    }

    boolean containsIpv6(long high, long low) {
        for (int i = 0; i < v6High.length; i++) {
            if ((high & v6HighMasks[i]) == v6High[i] && (low & v6LowMasks[i]) == v6Low[i]) {
                return true;
            }
        }
        return false;
    }

    /** The top {@code bits} of a {@code width}-bit word set. */
    static long mask(int bits, int width) {
        return bits == 0 ? 0 : -1L << (width - bits) & (width == 64 ? -1L : (1L << width) - 1);
    }

    @Override
    public String toString() {
        return String.join(",", written);
    }
}
