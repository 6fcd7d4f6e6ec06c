package io.idnode.server;

import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.json.HandleJson;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.store.RecordStore;
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
 * What a node writes about itself when it starts: its HS_SITE (in {@code DIR/siteinfo.bin}, wire form, and
 * {@code DIR/siteinfo.json}, the REST JSON form of handle-protocol.md §8), the prefix records
 * {@code 0.NA/<prefix>} a stock client looks up first (§7.1, §9 item 5), and, on request, demo records.
 */
final class NodeSetup {
    private static final Logger LOG = LoggerFactory.getLogger(NodeSetup.class);

    static final String SITE_BIN = "siteinfo.bin";
    static final String SITE_JSON = "siteinfo.json";
    /** Index of the HS_SITE value in a prefix record. */
    static final int SITE_INDEX = 1;
    /** Index of the HS_ADMIN value in prefix and demo records. */
    static final int ADMIN_INDEX = 100;
    /** Index of the administrator's HS_PUBKEY in a prefix record (identity {@code 300:0.NA/<prefix>}). */
    static final int ADMIN_KEY_INDEX = 300;

    private NodeSetup() {
    }

    /** The site this node describes: one primary server with TCP (admin+query) and UDP (query) on {@code port}. */
    static SiteInfo describeSite(HandleKeyCodec keys, InetAddress address, int port, PublicKey signingKey,
            int serial) {
        byte[] addr16 = new byte[16];
        byte[] raw = address.getAddress();
        // IPv4 is 12 zero bytes + the address, never ::ffff: mapping (§5.3).
        System.arraycopy(raw, 0, addr16, address instanceof Inet4Address ? 12 : 0, raw.length);
        ServerInfo server = new ServerInfo(1, addr16, keys.encodePublicKey(signingKey), List.of(
                new ServiceInterface(ServiceInterface.ADMIN_AND_QUERY, ServiceInterface.TCP, port),
                new ServiceInterface(ServiceInterface.QUERY, ServiceInterface.UDP, port)));
        return new SiteInfo(1, 2, 11, serial, true, false, SiteInfo.HASH_BY_HANDLE, "",
                List.of(new SiteInfo.Attribute("desc", "Idnode resolution node")), List.of(server));
    }

    /**
     * Publishes {@code site} to the site files, keeping the serial of the previous files when nothing else
     * changed and bumping it when something did. Returns the site as published.
     */
    static SiteInfo publishSite(Path dataDir, SiteInfo site) throws IOException {
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
                HandleJson.siteToJson(published).getBytes(StandardCharsets.UTF_8));
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

    /**
     * Creates {@code 0.NA/<prefix>} for every served prefix (HS_SITE at 1, HS_ADMIN at 100 granting every
     * permission to {@code 300:0.NA/<prefix>}, the administrator's HS_PUBKEY at 300), or brings the HS_SITE
     * of an existing one up to date and adds the HS_ADMIN and HS_PUBKEY when their indexes are free. All in
     * one atomic write.
     */
    static void ensurePrefixRecords(HandleKeyCodec keys, RecordStore store, List<String> prefixes, SiteInfo site,
            PublicKey adminKey, long nowMillis) {
        int now = (int) (nowMillis / 1000);
        HandleValue siteValue = HandleValue.builder(SITE_INDEX, SiteInfo.TYPE).data(SiteInfoCodec.encode(site))
                .timestamp(now).build();
        List<RecordStore.RecordWrite> writes = new ArrayList<>();
        for (String prefix : prefixes) {
            String handle = Handles.prefixHandle(prefix);
            HandleRecord existing = store.get(handle);
            if (existing == null) {
                List<HandleValue> values = List.of(siteValue, adminValue(handle, now),
                        adminKeyValue(keys, adminKey, now));
                writes.add(RecordStore.RecordWrite.put(new HandleRecord(handle, values,
                        new RecordMetadata(nowMillis, nowMillis, "node", 1))));
                LOG.info("created prefix record {}", handle);
                continue;
            }
            // Bring the HS_SITE up to date; put back the administrator's HS_ADMIN and HS_PUBKEY if their
            // indexes are empty (a record imported or made by an older version), never replacing a value an
            // operator may have changed through the protocol.
            List<HandleValue> values = new ArrayList<>();
            boolean changed = false;
            HandleValue current = existing.value(SITE_INDEX);
            if (current == null || !Arrays.equals(current.data(), siteValue.data())) {
                changed = true;
                LOG.info("updated HS_SITE of {}", handle);
            }
            values.add(siteValue);
            for (HandleValue v : existing.values()) {
                if (v.index() != SITE_INDEX) {
                    values.add(v);
                }
            }
            if (existing.value(ADMIN_INDEX) == null) {
                values.add(adminValue(handle, now));
                changed = true;
                LOG.info("added the administrator's HS_ADMIN to {}", handle);
            }
            if (existing.value(ADMIN_KEY_INDEX) == null) {
                values.add(adminKeyValue(keys, adminKey, now));
                changed = true;
                LOG.info("added the administrator's HS_PUBKEY to {}", handle);
            }
            if (!changed) {
                continue;
            }
            RecordMetadata m = existing.metadata();
            writes.add(RecordStore.RecordWrite.put(new HandleRecord(existing.handle(), values,
                    new RecordMetadata(m.createdMillis(), nowMillis, "node", m.version() + 1))));
        }
        if (!writes.isEmpty()) {
            store.write(writes);
        }
    }

    /** The administrator's public key as HS_PUBKEY at index 300 (identity {@code 300:0.NA/<prefix>}). */
    static HandleValue adminKeyValue(HandleKeyCodec keys, PublicKey adminKey, int now) {
        return HandleValue.builder(ADMIN_KEY_INDEX, "HS_PUBKEY").data(keys.encodePublicKey(adminKey))
                .timestamp(now).build();
    }

    /** HS_ADMIN at index 100 granting every permission to {@code 300:<prefixHandle>}. */
    static HandleValue adminValue(String prefixHandle, int now) {
        return HandleValue.builder(ADMIN_INDEX, AdminValue.TYPE)
                .data(AdminValueCodec.encode(new AdminValue(AdminValue.ALL, prefixHandle, ADMIN_KEY_INDEX)))
                .timestamp(now).build();
    }

    /** Example product identifiers under {@code prefix}, created if absent. Returns their handles. */
    static List<String> ensureDemoRecords(RecordStore store, String prefix, long nowMillis) {
        int now = (int) (nowMillis / 1000);
        String admin = Handles.prefixHandle(prefix);
        List<HandleRecord> demo = List.of(
                product(prefix + "/PUMP-2026-000123", "Centrifugal pump CP-200, serial 000123",
                        "https://example.com/products/PUMP-2026-000123", now, admin),
                product(prefix + "/VALVE-2026-004711", "Ball valve BV-50, batch 2026-11",
                        "https://example.com/products/VALVE-2026-004711", now, admin),
                product(prefix + "/MOTOR-2026-000042", "Induction motor IM-7.5kW, serial 000042",
                        "https://example.com/products/MOTOR-2026-000042", now, admin),
                HandleRecord.of(prefix + "/BATCH-2026-11", List.of(
                        HandleValue.builder(1, "URL").data("https://example.com/batches/2026-11").timestamp(now)
                                .build(),
                        HandleValue.builder(2, "DESC").data("Production batch of November 2026").timestamp(now)
                                .build(),
                        HandleValue.builder(3, "EMAIL").data("quality@example.com").timestamp(now).build(),
                        HandleValue.builder(4, "QA_NOTE").data("internal: released after re-test")
                                .permissions(HandleValue.ADMIN_READ | HandleValue.ADMIN_WRITE).timestamp(now)
                                .build(),
                        adminValue(admin, now))));
        List<RecordStore.RecordWrite> writes = new ArrayList<>();
        List<String> handles = new ArrayList<>();
        for (HandleRecord r : demo) {
            handles.add(r.handle());
            if (store.get(r.handle()) == null) {
                writes.add(RecordStore.RecordWrite.put(new HandleRecord(r.handle(), r.values(),
                        new RecordMetadata(nowMillis, nowMillis, "node", 1))));
            }
        }
        if (!writes.isEmpty()) {
            store.write(writes);
            LOG.info("created {} demo records under {}", writes.size(), prefix);
        }
        return handles;
    }

    private static HandleRecord product(String handle, String desc, String url, int now, String admin) {
        String data = "{\"name\":\"" + desc + "\",\"manufacturer\":\"Example Pumps Co.\",\"status\":\"in-service\"}";
        return HandleRecord.of(handle, List.of(
                HandleValue.builder(1, "URL").data(url).timestamp(now).build(),
                HandleValue.builder(2, "DESC").data(desc).timestamp(now).build(),
                HandleValue.builder(3, "PRODUCT_DATA").data(data).timestamp(now).build(),
                adminValue(admin, now)));
    }
}
