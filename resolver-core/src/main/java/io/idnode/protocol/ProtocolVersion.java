package io.idnode.protocol;

/**
 * A protocol version {@code major.minor} (handle-protocol.md §1.2), ordered, with the features that change
 * with it named after what they change. The node speaks every 2.x up to {@link #CURRENT}.
 */
public record ProtocolVersion(int major, int minor) implements Comparable<ProtocolVersion> {
    // Every 2.x, so that reading a version off an envelope allocates nothing.
    private static final ProtocolVersion[] TWO = new ProtocolVersion[256];

    static {
        for (int minor = 0; minor < TWO.length; minor++) {
            TWO[minor] = new ProtocolVersion(2, minor);
        }
    }

    /** 2.11: the highest version this node speaks, and the one it suggests (§1.2). */
    public static final ProtocolVersion CURRENT = of(2, 11);

    private static final ProtocolVersion V2_1 = of(2, 1);
    private static final ProtocolVersion V2_4 = of(2, 4);
    private static final ProtocolVersion V2_5 = of(2, 5);
    private static final ProtocolVersion V2_6 = of(2, 6);
    private static final ProtocolVersion V2_7 = of(2, 7);
    private static final ProtocolVersion V2_8 = of(2, 8);
    private static final ProtocolVersion V2_11 = of(2, 11);

    /** Both numbers are bytes on the wire (§1.1). */
    public ProtocolVersion {
        if ((major & ~0xFF) != 0 || (minor & ~0xFF) != 0) {
            throw new IllegalArgumentException("version " + major + "." + minor + " does not fit the envelope's bytes");
        }
    }

    /** The version {@code major.minor}. */
    public static ProtocolVersion of(int major, int minor) {
        return major == 2 && minor >= 0 && minor < TWO.length ? TWO[minor] : new ProtocolVersion(major, minor);
    }

    /** The version written as one number, major × 100 + minor (211 is 2.11). */
    public static ProtocolVersion fromNumber(int number) {
        return of(number / 100, number % 100);
    }

    /** The version as one number, major × 100 + minor (2.11 is 211). */
    public int number() {
        return major * 100 + minor;
    }

    /** True if this version is lower than {@code other}. */
    public boolean isBefore(ProtocolVersion other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(ProtocolVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    /** From 2.1, secret-key challenge answers exist (§6.2). */
    public boolean hasSecretKeyAnswers() {
        return !isBefore(V2_1);
    }

    /** From 2.1, a request digest starts with its hash type and is SHA-1 or better, not the older MD5 form (§2.4). */
    public boolean typesRequestDigests() {
        return !isBefore(V2_1);
    }

    /** From 2.4, session ciphers run in CBC mode with an IV (§6.6); this node holds sessions from 2.4 only. */
    public boolean sessionCipherUsesIv() {
        return !isBefore(V2_4);
    }

    /** From 2.5, a session MAC covers versions and ids, in the legacy form of 2.5 and 2.6 (§2.3). */
    public boolean macCoversVersionAndIds() {
        return !isBefore(V2_5);
    }

    /** From 2.6, signatures cover versions and ids before the header and body (§2.3). */
    public boolean signsVersionAndIds() {
        return !isBefore(V2_6);
    }

    /** From 2.6, a credential names its hash ({@code SHA1}); before, it gives a one-byte code (§2.3). */
    public boolean namesHashes() {
        return !isBefore(V2_6);
    }

    /**
     * From 2.7, each id of the signed prefix has its own place; at 2.6 the library writes them over one another
     * (§2.3).
     */
    public boolean signedPrefixKeepsEachId() {
        return !isBefore(V2_7);
    }

    /** From 2.7, request digests are SHA-256 (§2.4). */
    public boolean digestsWithSha256() {
        return !isBefore(V2_7);
    }

    /** From 2.7, session MACs are HMAC-SHA256 over the signed bytes (§2.3, §6.5). */
    public boolean macsWithHmacSha256() {
        return !isBefore(V2_7);
    }

    /** From 2.7, secret-key challenge answers are PBKDF2-HMAC-SHA1, alg 0x22 (§6.2). */
    public boolean answersSecretKeyWithPbkdf2() {
        return !isBefore(V2_7);
    }

    /** From 2.7, RSA keys sign with SHA-256 (§2.3, §6.2). */
    public boolean signsRsaWithSha256() {
        return !isBefore(V2_7);
    }

    /** From 2.8, the signed prefix also holds the suggested version (§2.3). */
    public boolean signsSuggestedVersion() {
        return !isBefore(V2_8);
    }

    /** From 2.8, a reply in a session is encrypted whenever it carries values without public read (§6.6). */
    public boolean encryptsRestrictedValues() {
        return !isBefore(V2_8);
    }

    /** From 2.11, every key signs with SHA-256, DSA keys too (§2.3, §6.2). */
    public boolean signsAllKeysWithSha256() {
        return !isBefore(V2_11);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
