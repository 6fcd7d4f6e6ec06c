package io.idnode.server;

import java.nio.file.Files;
import java.nio.file.Path;
import net.handle.hdllib.Encoder;
import net.handle.hdllib.FilesystemConfiguration;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.SiteInfo;

/**
 * Stock CNRI clients (net.handle:handle-client 9.3.1) pointed at a local node as handle-protocol.md §7.3
 * prescribes: no root auto-update, the node as the only global site, no caches. The site is the node's own
 * {@code siteinfo.bin}, decoded by the library, so every test also checks that our HS_SITE is readable.
 */
public final class StockClients {
    private StockClients() {
    }

    /** The node's site as the library decodes it. */
    public static SiteInfo site(Path dataDir) throws Exception {
        byte[] bin = Files.readAllBytes(Node.siteFile(dataDir));
        return Encoder.decodeSiteInfoRecord(bin, 0);
    }

    /**
     * A resolver using only {@code protocols} (e.g. {@link Interface#SP_HDL_UDP}) that finds the node the
     * way a default client does: through the prefix lookup at its global site.
     */
    public static HandleResolver resolver(Path dataDir, Path configDir, int... protocols) throws Exception {
        return resolver(dataDir, configDir, false, protocols);
    }

    /**
     * As {@link #resolver(Path, Path, int...)}; with {@code sessions} the library's default session tracker is
     * kept, so that it sets up a session before its first administrative request (§6.5).
     */
    public static HandleResolver resolver(Path dataDir, Path configDir, boolean sessions, int... protocols)
            throws Exception {
        return resolver(site(dataDir), configDir, sessions, protocols);
    }

    /**
     * A resolver of a replicated service: {@code sites}, the sites its members describe, are its global service
     * (handle-protocol.md §7.3); TCP only, no sessions, and a TCP timeout longer than the members' write timeout
     * (5 s), so that a write without a majority is answered, not dropped.
     */
    public static HandleResolver service(SiteInfo[] sites, Path configDir) throws Exception {
        Files.createDirectories(configDir);
        HandleResolver r = new HandleResolver();
        FilesystemConfiguration cfg = new FilesystemConfiguration(configDir.toFile());
        cfg.setAutoUpdateRootInfo(false);
        cfg.setGlobalSites(sites);
        r.setConfiguration(cfg);
        r.setSessionTracker(null);
        r.setCache(null);
        r.setCertifiedCache(null);
        r.setPreferredProtocols(new int[] {Interface.SP_HDL_TCP});
        r.setTcpTimeout(15_000);
        return r;
    }

    /** As {@link #resolver(Path, Path, boolean, int...)} with {@code site} as the only global site. */
    public static HandleResolver resolver(SiteInfo site, Path configDir, boolean sessions, int... protocols)
            throws Exception {
        Files.createDirectories(configDir);
        HandleResolver r = new HandleResolver();
        FilesystemConfiguration cfg = new FilesystemConfiguration(configDir.toFile());
        cfg.setAutoUpdateRootInfo(false);
        cfg.setGlobalSites(new SiteInfo[] {site});
        r.setConfiguration(cfg);
        if (!sessions) {
            r.setSessionTracker(null);
        }
        r.setCache(null);
        r.setCertifiedCache(null);
        r.setPreferredProtocols(protocols);
        // A dropped datagram must not turn into a TCP fallback that hides a UDP failure.
        r.setUdpRetryScheme(new int[] {2000});
        r.setTcpTimeout(10_000);
        return r;
    }
}
