package io.idnode.server;

import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.json.RecordJsonWriter;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How clients find the node: its HS_SITE (handle-protocol.md §5.3), described from the bound address and the
 * node key, and published to {@code DIR/siteinfo.bin} (wire form) and {@code DIR/siteinfo.json} (the REST
 * JSON form of §8), with a serial number that goes up whenever the description changes.
 */
final class SitePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SitePublisher.class);

    static final String SITE_BIN = "siteinfo.bin";
    static final String SITE_JSON = "siteinfo.json";

    private SitePublisher() {
    }

    /**
     * The site this node describes: one primary server with TCP (admin+query) and UDP (query) on {@code port},
     * its key encoded with {@code keys}.
     */
    static SiteInfo describe(HandleKeyCodec keys, InetAddress address, int port, PublicKey signingKey,
            int serial) {
        return describe(keys, address, port, -1, signingKey, serial);
    }

    /**
     * As above, with an HTTP interface (admin+query: native messages carry their own authentication, §1.5) on
     * {@code httpPort} unless it is negative (no HTTP).
     */
    static SiteInfo describe(HandleKeyCodec keys, InetAddress address, int port, int httpPort, PublicKey signingKey,
            int serial) {
        byte[] addr16 = new byte[16];
        byte[] raw = address.getAddress();
        // IPv4 is 12 zero bytes + the address, never ::ffff: mapping (§5.3).
        System.arraycopy(raw, 0, addr16, address instanceof Inet4Address ? 12 : 0, raw.length);
        List<ServiceInterface> interfaces = new ArrayList<>(List.of(
                new ServiceInterface(ServiceInterface.ADMIN_AND_QUERY, ServiceInterface.TCP, port),
                new ServiceInterface(ServiceInterface.QUERY, ServiceInterface.UDP, port)));
        if (httpPort >= 0) {
            interfaces.add(new ServiceInterface(ServiceInterface.ADMIN_AND_QUERY, ServiceInterface.HTTP, httpPort));
        }
        ServerInfo server = new ServerInfo(1, addr16, keys.encodePublicKey(signingKey), List.copyOf(interfaces));
        return new SiteInfo(1, 2, 11, serial, true, false, SiteInfo.HASH_BY_HANDLE, "",
                List.of(new SiteInfo.Attribute("desc", "Idnode resolution node")), List.of(server));
    }

    /**
     * Publishes {@code site} to the site files, keeping the serial of the previous files when nothing else
     * changed and bumping it when something did. Returns the site as published.
     */
    static SiteInfo publish(Path dataDir, SiteInfo site) throws IOException {
        Path bin = dataDir.resolve(SITE_BIN);
        SiteInfo published = site;
        if (Files.exists(bin)) {
            try {
                SiteInfo previous = SiteInfoCodec.decode(Files.readAllBytes(bin));
                SiteInfo same = withSerial(site, previous.serialNumber());
                if (Arrays.equals(SiteInfoCodec.encode(same), SiteInfoCodec.encode(previous))) {
                    return previous;
                }
                published = withSerial(site, (previous.serialNumber() + 1) & 0xFFFF);
            } catch (CodecException e) {
                LOG.warn("{} is unreadable ({}); writing a new one", bin, e.getMessage());
            }
        }
        writeAtomically(bin, SiteInfoCodec.encode(published));
        writeAtomically(dataDir.resolve(SITE_JSON),
                (RecordJsonWriter.STANDARD.pretty().writeSite(published) + "\n").getBytes(StandardCharsets.UTF_8));
        LOG.info("published site serial {} to {}", published.serialNumber(), bin);
        return published;
    }

    private static SiteInfo withSerial(SiteInfo s, int serial) {
        return new SiteInfo(s.dataFormatVersion(), s.protocolMajor(), s.protocolMinor(), serial, s.primary(),
                s.multiPrimary(), s.hashOption(), s.hashFilter(), s.attributes(), s.servers());
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
