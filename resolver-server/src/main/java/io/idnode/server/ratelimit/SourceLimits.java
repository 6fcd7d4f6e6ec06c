package io.idnode.server.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a node allows each source network (the leading bits of the source address; exempt networks are left
 * alone), so that it cannot be used to amplify an attack on a third party whose address is forged, nor starved
 * by one source asking for signatures:
 * <ul>
 * <li>UDP replies are rate-limited in the manner of DNS response-rate limiting: above {@code udp-rate} a second
 * a request is dropped, or every {@code udp-slip}th one "slipped": answered with the short reply that sends the
 * client to TCP, which a forged source cannot use. Refused requests are charged too, up to
 * {@value #UDP_WINDOW_SECONDS} s ahead, so that a flood gets nothing but slips until it stops.</li>
 * <li>A UDP reply larger than {@code udp-max-reply} bytes is not sent; the short reply goes instead.</li>
 * <li>Replies signed with the node's key (certified requests outside a session, handle-protocol.md §2.3; one
 * RSA signature costs about a thousand unsigned answers) are budgeted to {@code signature-rate} a second,
 * over UDP and TCP together; above it the reply is 3 (server too busy), unsigned.</li>
 * </ul>
 * Each refusal is counted in the meter {@value #REFUSALS} by {@link Refusal reason}. Checking a request costs
 * one compare-and-set in a bounded {@link RateTable} and no lock; it allocates nothing for an IPv4 source (an
 * IPv6 address can only be read as a copy). Thread-safe.
 */
public final class SourceLimits {
    /** Seconds ahead a source's refused UDP requests are charged: DNS response-rate limiting's default window. */
    public static final int UDP_WINDOW_SECONDS = 15;
    /** Name of the counter of refusals, tagged {@code reason}. */
    public static final String REFUSALS = "idnode.refusals";

    /** No limit: every request answered, every reply sent and signed. */
    public static final SourceLimits NONE = new SourceLimits(SourceLimitSettings.NONE, Ticker.systemTicker(),
            new SimpleMeterRegistry());

    // A network's key: for IPv6 its top 64 bits with the top bit cleared (which merges only multicast and
    // unassigned space with the rest); for IPv4 its 32 bits under 0x7FFFFFFF, where an IPv6 key would come from
    // multicast ff..:: space, never a source. No key has the top bit set, as EXEMPT has.
    private static final long IPV4_KEY = 0x7FFF_FFFFL << 32;
    private static final long EXEMPT = -1L;

    /** What becomes of a UDP request. */
    public enum UdpVerdict {
        /** Within the rate: answered. */
        ANSWER,
        /** Above the rate: answered with the short reply that sends the client to TCP, if not larger than the request. */
        SLIP,
        /** Above the rate: not answered. */
        DROP
    }

    /** Why a reply was refused or replaced; the value of the counter's {@code reason} tag. */
    public enum Refusal {
        /** A UDP request above the rate, not answered. */
        UDP_RATE_DROPPED("udp-rate-dropped"),
        /** A UDP request above the rate, answered with the short TCP reply. */
        UDP_RATE_SLIPPED("udp-rate-slipped"),
        /** A UDP reply larger than {@code udp-max-reply}, replaced by the short TCP reply. */
        UDP_REPLY_TOO_LARGE("udp-reply-too-large"),
        /** A certified reply above the signature budget, answered 3 unsigned. */
        SIGNATURE_BUDGET("signature-budget"),
        /** A resolution a recursive node would have asked other nodes about, above the source's budget: 3. */
        RECURSION_BUDGET("recursion-budget");

        private final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        /** The counter's tag value. */
        public String tag() {
            return tag;
        }
    }

    private final SourceLimitSettings settings;
    private final int ipv4Mask;
    private final long ipv6Mask;
    private final RateTable udpReplies;
    private final RateTable signatures;
    private final AtomicInteger refusedUdp = new AtomicInteger();
    private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);

    /** Limits as {@code settings} say, timed by {@code ticker}, counting refusals in {@code meters}. */
    public SourceLimits(SourceLimitSettings settings, Ticker ticker, MeterRegistry meters) {
        this.settings = settings;
        this.ipv4Mask = (int) NetworkSet.mask(settings.ipv4NetworkBits(), 32);
        this.ipv6Mask = NetworkSet.mask(settings.ipv6NetworkBits(), 64);
        this.udpReplies = settings.udpRate() == 0 ? null
                : new RateTable(settings.tableSize(), settings.udpRate(), UDP_WINDOW_SECONDS, ticker);
        this.signatures = settings.signatureRate() == 0 ? null
                : new RateTable(settings.tableSize(), settings.signatureRate(), 1, ticker);
        for (Refusal r : Refusal.values()) {
            refusals.put(r, Counter.builder(REFUSALS).tag("reason", r.tag())
                    .description("Requests refused or replies replaced by a limit, by reason").register(meters));
        }
    }

    /** The settings. */
    public SourceLimitSettings settings() {
        return settings;
    }

    /** Counts a UDP request from {@code sender} against its network's rate; says what becomes of it. */
    public UdpVerdict udpRequest(InetSocketAddress sender) {
        if (udpReplies == null) {
            return UdpVerdict.ANSWER;
        }
        long key = key(sender.getAddress());
        if (key == EXEMPT || udpReplies.admit(key)) {
            return UdpVerdict.ANSWER;
        }
        int slip = settings.udpSlip();
        return slip > 0 && refusedUdp.incrementAndGet() % slip == 0 ? UdpVerdict.SLIP : UdpVerdict.DROP;
    }

    /** The largest UDP reply sent as is, in bytes, envelope included. */
    public int udpMaxReply() {
        return settings.udpMaxReply();
    }

    /**
     * True (and counted) if a UDP reply to {@code peer} larger than {@link #udpMaxReply()} is to be replaced by
     * the short reply to TCP; false if {@code peer} is exempt and gets it as is.
     */
    public boolean holdsToUdpMaxReply(SocketAddress peer) {
        if (peer instanceof InetSocketAddress a && key(a.getAddress()) == EXEMPT) {
            return false;
        }
        count(Refusal.UDP_REPLY_TOO_LARGE);
        return true;
    }

    /** Counts one signature with the node's key for {@code peer}; false (counted) if over its network's budget. */
    public boolean signatureAllowed(SocketAddress peer) {
        if (signatures == null || !(peer instanceof InetSocketAddress a)) {
            return true; // a peer without an address is in this process (tests, embedded channels)
        }
        long key = key(a.getAddress());
        if (key == EXEMPT || signatures.admit(key)) {
            return true;
        }
        count(Refusal.SIGNATURE_BUDGET);
        return false;
    }

    /**
     * Counts one event of {@code source} in {@code table}, a budget per source network kept under the same network
     * keys and exemptions as these limits; true if within it. A source without an address (in this process) and an
     * exempt one always are; a refusal is counted as {@code reason}.
     */
    public boolean admit(RateTable table, InetAddress source, Refusal reason) {
        if (source == null) {
            return true;
        }
        long key = key(source);
        if (key == EXEMPT || table.admit(key)) {
            return true;
        }
        count(reason);
        return false;
    }

    /** Counts a refusal the caller carried out. */
    public void count(Refusal reason) {
        refusals.get(reason).increment();
    }

    /** The key of {@code address}'s network, or {@link #EXEMPT}. */
    private long key(InetAddress address) {
        if (address instanceof Inet4Address) {
            int bits = AddressBits.ipv4(address);
            return settings.exempt().containsIpv4(bits) ? EXEMPT : IPV4_KEY | (bits & ipv4Mask) & 0xFFFF_FFFFL;
        }
        byte[] bytes = address.getAddress();
        long high = AddressBits.long64(bytes, 0);
        return settings.exempt().containsIpv6(high, AddressBits.long64(bytes, 8)) ? EXEMPT
                : high & ipv6Mask & Long.MAX_VALUE;
    }
}
