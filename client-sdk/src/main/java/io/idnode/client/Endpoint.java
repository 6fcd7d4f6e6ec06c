package io.idnode.client;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.protocol.ProtocolVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One server of a site as the client talks to it (handle-protocol.md §5.3): its TCP and UDP addresses (null
 * where the site lists no such interface), whether it takes administration and queries, its signing key
 * (null if the site publishes none or an unusable one), and the site's serial and protocol version, which its
 * requests carry (§1.2, §2.1). {@link #key()} names the server: connections and sessions are kept per key.
 */
record Endpoint(InetSocketAddress tcp, InetSocketAddress udp, boolean admin, boolean query, PublicKey publicKey,
        int siteSerial, ProtocolVersion version, boolean primary) {

    /** The servers of {@code site} the client can reach, in the site's order. */
    static List<Endpoint> of(SiteInfo site, HandleKeyCodec keys) {
        List<Endpoint> out = new ArrayList<>(site.servers().size());
        for (ServerInfo server : site.servers()) {
            Endpoint e = of(site, server, keys);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** {@code server} of {@code site}, or null if it has no usable address or no TCP or UDP interface. */
    static Endpoint of(SiteInfo site, ServerInfo server, HandleKeyCodec keys) {
        InetAddress address = address(server.address());
        if (address == null) {
            return null;
        }
        InetSocketAddress tcp = null;
        InetSocketAddress udp = null;
        boolean admin = false;
        boolean query = false;
        for (ServiceInterface i : server.interfaces()) {
            if (i.type() == ServiceInterface.OUT_OF_SERVICE || i.port() <= 0 || i.port() > 0xFFFF) {
                continue;
            }
            if (i.protocol() == ServiceInterface.TCP && tcp == null) {
                tcp = new InetSocketAddress(address, i.port());
                admin |= (i.type() & ServiceInterface.ADMIN) != 0;
                query |= (i.type() & ServiceInterface.QUERY) != 0;
            } else if (i.protocol() == ServiceInterface.UDP && udp == null && (i.type() & ServiceInterface.QUERY) != 0) {
                udp = new InetSocketAddress(address, i.port());
                query = true;
            }
        }
        if (tcp == null && udp == null) {
            return null;
        }
        PublicKey key = null;
        byte[] encoded = server.publicKey();
        if (encoded.length > 0) {
            try {
                key = keys.decodePublicKey(encoded);
            } catch (CryptoException e) {
                key = null; // certified replies from this server then fail, naming the missing key
            }
        }
        ProtocolVersion siteVersion = ProtocolVersion.of(site.protocolMajor(), site.protocolMinor());
        ProtocolVersion version = siteVersion.isBefore(ProtocolVersion.CURRENT) ? siteVersion : ProtocolVersion.CURRENT;
        return new Endpoint(tcp, udp, admin, query, key, site.serialNumber(), version, site.primary());
    }

    /** A site of one server at {@code address}, UDP and TCP on its port, no key: a node before its site is known. */
    static SiteInfo provisionalSite(InetSocketAddress address) {
        byte[] bytes = new byte[16];
        byte[] raw = address.getAddress().getAddress();
        System.arraycopy(raw, 0, bytes, 16 - raw.length, raw.length);
        int port = address.getPort();
        ServerInfo server = new ServerInfo(1, bytes, new byte[0], List.of(
                new ServiceInterface(ServiceInterface.ADMIN_AND_QUERY, ServiceInterface.TCP, port),
                new ServiceInterface(ServiceInterface.QUERY, ServiceInterface.UDP, port)));
        return new SiteInfo(1, ProtocolVersion.CURRENT.major(), ProtocolVersion.CURRENT.minor(), 0, true, false,
                SiteInfo.HASH_BY_HANDLE, "", List.of(), List.of(server));
    }

    /** The address of a server: IPv4 as 12 zero bytes and 4 address bytes, else IPv6 (§5.3). */
    static InetAddress address(byte[] sixteen) {
        boolean v4 = true;
        for (int i = 0; i < 12; i++) {
            v4 &= sixteen[i] == 0;
        }
        try {
            return InetAddress.getByAddress(v4 ? Arrays.copyOfRange(sixteen, 12, 16) : sixteen);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The address that names this server: connections and sessions are kept per server. */
    InetSocketAddress key() {
        return tcp != null ? tcp : udp;
    }

    @Override
    public String toString() {
        InetSocketAddress a = key();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
