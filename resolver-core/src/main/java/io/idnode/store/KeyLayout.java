package io.idnode.store;

import io.idnode.model.Handles;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The RocksDB key layout. A key is a one-byte key space tag followed by the key within that space. Handle
 * records live under {@link #HANDLE_RECORD} with the UTF-8 bytes of the handle's match key
 * ({@link Handles#matchKey}: the lookup form upper-cased, handle-protocol.md §4.1), so all handles of one
 * prefix are contiguous and in byte order, the order RocksDB's default comparator keeps.
 */
public final class KeyLayout {
    /** Key space of handle records ('h'). */
    public static final byte HANDLE_RECORD = 'h';
    /** Key space reserved for store metadata such as the layout version ('m'). */
    public static final byte STORE_METADATA = 'm';
    /** Key space reserved for the audit log ('a'). */
    public static final byte AUDIT = 'a';
    /** Key space reserved for the prefixes homed on this node ('p'). */
    public static final byte HOMED_PREFIX = 'p';

    /** The byte after '/': keys of a prefix's handles sort before {@code PREFIX + '0'}. */
    private static final byte AFTER_SLASH = '/' + 1;

    private KeyLayout() {
    }

    /** The key of a handle's record (matched case-insensitively; a slash-less handle means {@code 0.NA/<it>}). */
    public static byte[] recordKey(String handle) {
        return recordKeyOfMatchKey(Handles.matchKey(handle));
    }

    /** The key of a record whose match key ({@link Handles#matchKey}) is already known. */
    public static byte[] recordKeyOfMatchKey(String matchKey) {
        return tagged(HANDLE_RECORD, matchKey.getBytes(StandardCharsets.UTF_8), false);
    }

    /** The match key held in a record key. */
    public static String matchKeyOf(byte[] recordKey) {
        if (recordKey.length == 0 || recordKey[0] != HANDLE_RECORD) {
            throw new IllegalArgumentException("not a handle record key: " + Arrays.toString(recordKey));
        }
        return new String(recordKey, 1, recordKey.length - 1, StandardCharsets.UTF_8);
    }

    /** The first key that can hold a handle of {@code prefix}: tag + {@code PREFIX/}, inclusive. */
    public static byte[] prefixLowerBound(String prefix) {
        return tagged(HANDLE_RECORD, prefixBytes(prefix), true);
    }

    /**
     * The exclusive upper bound of the handles of {@code prefix}: tag + {@code PREFIX0} ('0' being the byte
     * after '/'), so {@code 88.100.1} stops before {@code 88.100.10/...} and every other longer prefix.
     */
    public static byte[] prefixUpperBound(String prefix) {
        byte[] key = tagged(HANDLE_RECORD, prefixBytes(prefix), true);
        key[key.length - 1] = AFTER_SLASH;
        return key;
    }

    /** The smallest key strictly greater than {@code key} (the key followed by a zero byte). */
    public static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** True if {@code key} lies in the range of handle records. */
    public static boolean isRecordKey(byte[] key) {
        return key.length > 0 && key[0] == HANDLE_RECORD;
    }

    private static byte[] prefixBytes(String prefix) {
        return Handles.asciiUpper(prefix).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] tagged(byte tag, byte[] body, boolean slash) {
        byte[] key = new byte[1 + body.length + (slash ? 1 : 0)];
        key[0] = tag;
        System.arraycopy(body, 0, key, 1, body.length);
        if (slash) {
            key[key.length - 1] = '/';
        }
        return key;
    }
}
