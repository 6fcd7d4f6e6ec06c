package io.idnode.server.ratelimit;

import java.util.Objects;

/**
 * Settings of the limits a node puts on each source network; validated, each named by its setting, by the
 * node's configuration builder. A rate of 0 turns that limit off.
 *
 * @param udpMaxReply largest UDP reply sent as is, in bytes (envelope included); a larger one is replaced by the
 *     short reply that sends the client to TCP ({@code udp-max-reply})
 * @param udpRate UDP replies a second per source network; above it requests are dropped or slipped
 *     ({@code udp-rate})
 * @param udpSlip every how many refused UDP requests one gets the short TCP reply instead of nothing; 0 never
 *     ({@code udp-slip})
 * @param signatureRate replies signed with the node's key a second per source network, UDP and TCP together;
 *     above it certified requests are answered 3, unsigned ({@code signature-rate})
 * @param ipv4NetworkBits leading bits of an IPv4 source that name its network ({@code ipv4-network-bits})
 * @param ipv6NetworkBits leading bits of an IPv6 source that name its network, at most 64
 *     ({@code ipv6-network-bits})
 * @param tableSize source networks each rate table tracks at once ({@code rate-table-size})
 * @param exempt sources left alone by every limit ({@code exempt-networks})
 */
public record SourceLimitSettings(int udpMaxReply, int udpRate, int udpSlip, int signatureRate, int ipv4NetworkBits,
        int ipv6NetworkBits, int tableSize, NetworkSet exempt) {

    /** No limit at all. */
    public static final SourceLimitSettings NONE = new SourceLimitSettings(Integer.MAX_VALUE, 0, 0, 0, 32, 64, 2,
            NetworkSet.EMPTY);

    /** Settings as given; {@code exempt} is required. */
    public SourceLimitSettings {
        Objects.requireNonNull(exempt, "exempt");
    }
}
