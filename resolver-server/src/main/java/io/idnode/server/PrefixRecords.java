package io.idnode.server;

import io.idnode.model.ValueTypes;
import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.SiteInfo;
import io.idnode.store.RecordStore;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prefix records {@code 0.NA/<prefix>} a stock client looks up before resolving {@code prefix/suffix}
 * handles (handle-protocol.md §7.1, §9 item 5): the node's HS_SITE, and the HS_ADMIN and HS_PUBKEY of the
 * administrator identity {@code 300:0.NA/<prefix>}.
 */
final class PrefixRecords {
    private static final Logger LOG = LoggerFactory.getLogger(PrefixRecords.class);

    /** Index of the HS_SITE value in a prefix record. */
    static final int SITE_INDEX = 1;
    /** Index of the HS_ADMIN value in prefix and demo records. */
    static final int ADMIN_INDEX = 100;
    /** Index of the administrator's HS_PUBKEY in a prefix record (identity {@code 300:0.NA/<prefix>}). */
    static final int ADMIN_KEY_INDEX = 300;

    private PrefixRecords() {
    }

    /**
     * Creates {@code 0.NA/<prefix>} for every served prefix (HS_SITE at 1, HS_ADMIN at 100 granting every
     * permission to {@code 300:0.NA/<prefix>}, the administrator's HS_PUBKEY at 300), or brings the HS_SITE
     * of an existing one up to date and adds the HS_ADMIN and HS_PUBKEY when their indexes are free. All in
     * one atomic write.
     */
    static void ensure(HandleKeyCodec keys, RecordStore store, List<String> prefixes, SiteInfo site,
            PublicKey adminKey, long nowMillis) {
        ensure(keys, store, prefixes, site, SITE_INDEX, adminKey, nowMillis);
    }

    /**
     * As {@link #ensure(HandleKeyCodec, RecordStore, List, SiteInfo, PublicKey, long)}, with the HS_SITE at
     * {@code siteIndex}: a member of a replicated service keeps its own site there, beside the other members'.
     */
    static void ensure(HandleKeyCodec keys, RecordStore store, List<String> prefixes, SiteInfo site, int siteIndex,
            PublicKey adminKey, long nowMillis) {
        int now = (int) (nowMillis / 1000);
        HandleValue siteValue = HandleValue.builder(siteIndex, ValueTypes.HS_SITE).data(SiteInfoCodec.encode(site))
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
            HandleValue current = existing.value(siteIndex);
            if (current == null || !Arrays.equals(current.data(), siteValue.data())) {
                changed = true;
                LOG.info("updated HS_SITE of {}", handle);
            }
            values.add(siteValue);
            for (HandleValue v : existing.values()) {
                if (v.index() != siteIndex) {
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
        return HandleValue.builder(ADMIN_KEY_INDEX, ValueTypes.HS_PUBKEY).data(keys.encodePublicKey(adminKey))
                .timestamp(now).build();
    }

    /** HS_ADMIN at index 100 granting every permission to {@code 300:<prefixHandle>}. */
    static HandleValue adminValue(String prefixHandle, int now) {
        return HandleValue.builder(ADMIN_INDEX, ValueTypes.HS_ADMIN)
                .data(AdminValueCodec.encode(new AdminValue(AdminValue.ALL, prefixHandle, ADMIN_KEY_INDEX)))
                .timestamp(now).build();
    }
}
