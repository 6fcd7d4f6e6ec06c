package io.idnode.loadgen;

import java.util.Locale;

/** How requests travel (handle-protocol.md §1.3, §1.4). */
public enum Transport {
    /** One datagram per request; multi-datagram replies are reassembled by byte count. */
    UDP,
    /** Persistent TCP connections carrying many requests each, several in flight. */
    TCP,
    /** A new TCP connection for every request, closed after the reply: what the stock client does. */
    TCP_PER_REQUEST;

    /** The command-line name: {@code udp}, {@code tcp}, {@code tcp-per-request}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a command-line name. */
    public static Transport parse(String name) {
        for (Transport t : values()) {
            if (t.cliName().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("transport must be udp, tcp or tcp-per-request, got '" + name + "'");
    }
}
