package io.idnode.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * An HS_SITE value: the description of a service site (handle-protocol.md §5.3, RFC 3651 §3.2.3). Also the
 * body of a GET_SITE_INFO response and the format of HS_SITE.6, HS_SITE.PREFIX and HS_NA_DELEGATE.
 */
public record SiteInfo(int dataFormatVersion, int protocolMajor, int protocolMinor, int serialNumber,
        boolean primary, boolean multiPrimary, int hashOption, String hashFilter, List<Attribute> attributes,
        List<ServerInfo> servers) {

    /** hashOption: servers of a multi-server site are chosen by a hash of the prefix (§5.3, §7.2). */
    public static final int HASH_BY_PREFIX = 0;
    /** hashOption: by a hash of the suffix (§5.3, §7.2). */
    public static final int HASH_BY_SUFFIX = 1;
    /** hashOption: by a hash of the whole handle (§5.3, §7.2). */
    public static final int HASH_BY_HANDLE = 2;

    public SiteInfo {
        attributes = List.copyOf(attributes);
        servers = List.copyOf(servers);
        hashFilter = hashFilter == null ? "" : hashFilter;
    }

    /**
     * The position in {@link #servers()} of the server that holds {@code handle} (handle-protocol.md §7.2): the
     * MD5 of the ASCII-upper-cased part {@link #hashOption()} names (prefix, {@code 0.NA} for a handle without
     * '/'; suffix; or the whole handle), its last four bytes as a big-endian int, made non-negative, modulo the
     * number of servers. 0 for a site of one server.
     */
    public int serverIndexFor(String handle) {
        int n = servers.size();
        if (n <= 1) {
            return 0;
        }
        int slash = handle.indexOf('/');
        String part = switch (hashOption) {
            case HASH_BY_PREFIX -> slash < 0 ? "0.NA" : handle.substring(0, slash);
            case HASH_BY_SUFFIX -> slash < 0 ? handle : handle.substring(slash + 1);
            default -> handle;
        };
        byte[] d;
        try {
            d = MessageDigest.getInstance("MD5").digest(Handles.asciiUpper(part).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
        int h = ((d[12] & 0xFF) << 24) | ((d[13] & 0xFF) << 16) | ((d[14] & 0xFF) << 8) | (d[15] & 0xFF);
        // Math.abs leaves Integer.MIN_VALUE negative, where the stock client would fail; floorMod keeps it in range.
        return Math.floorMod(Math.abs(h), n);
    }

    /** A site attribute such as {@code desc}, {@code domain} or {@code alt_addr}. */
    public record Attribute(String name, String value) {
    }

    /**
     * One server of the site. {@code address} is 16 bytes (IPv4 as 12 zero bytes + 4 address bytes);
     * {@code publicKey} is the HS_PUBKEY encoding of its signing key (may be empty). The arrays are copied in
     * and out, and compared by content.
     */
    public record ServerInfo(int serverId, byte[] address, byte[] publicKey, List<ServiceInterface> interfaces) {
        public ServerInfo {
            if (address.length != 16) {
                throw new IllegalArgumentException("server address must be 16 bytes, got " + address.length);
            }
            address = address.clone();
            publicKey = publicKey == null ? new byte[0] : publicKey.clone();
            interfaces = List.copyOf(interfaces);
        }

        /** A copy of the 16-byte address. */
        @Override
        public byte[] address() {
            return address.clone();
        }

        /** A copy of the public key's encoding. */
        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ServerInfo s && serverId == s.serverId && Arrays.equals(address, s.address)
                    && Arrays.equals(publicKey, s.publicKey) && interfaces.equals(s.interfaces);
        }

        @Override
        public int hashCode() {
            return ((serverId * 31 + Arrays.hashCode(address)) * 31 + Arrays.hashCode(publicKey)) * 31
                    + interfaces.hashCode();
        }

        @Override
        public String toString() {
            return "ServerInfo[serverId=" + serverId + ", address=" + HexFormat.of().formatHex(address) + ", publicKey="
                    + publicKey.length + " bytes, interfaces=" + interfaces + "]";
        }
    }

    /** One interface of a server: type 1 admin, 2 query, 3 both; protocol 0 UDP, 1 TCP, 2 HTTP, 3 HTTPS. */
    public record ServiceInterface(int type, int protocol, int port) {
        /** type: out of service (§5.3). */
        public static final int OUT_OF_SERVICE = 0;
        /** type: administration requests only (§5.3). */
        public static final int ADMIN = 1;
        /** type: queries only (§5.3). */
        public static final int QUERY = 2;
        /** type: administration and queries (§5.3). */
        public static final int ADMIN_AND_QUERY = 3;
        /** protocol: UDP (§1.3, §5.3). */
        public static final int UDP = 0;
        /** protocol: TCP (§1.4, §5.3). */
        public static final int TCP = 1;
        /** protocol: HTTP (§1.5, §5.3). */
        public static final int HTTP = 2;
        /** protocol: HTTPS (§1.5, §5.3). */
        public static final int HTTPS = 3;
    }
}
