package io.idnode.protocol;

/**
 * The credential section (handle-protocol.md §2.3): a public-key signature ({@code HS_SIGNED}) or a
 * session MAC ({@code HS_MAC}) over the bytes defined by the version rules of §2.3. The library layout
 * leaves the signer handle empty and carries the session counter in the index slot. A null signature is
 * taken as none.
 */
public record Credential(int version, int reserved, int options, String signerHandle, int sessionCounter,
        String type, String hashId, Bytes signature) {

    /** Type of a public-key signature (§2.3). */
    public static final String TYPE_SIGNED = "HS_SIGNED";
    /** Type of a session MAC (§2.3). */
    public static final String TYPE_MAC = "HS_MAC";

    public Credential {
        signature = signature == null ? Bytes.EMPTY : signature;
    }

    /** A signature credential as a server writes it. */
    public static Credential signed(String hashId, Bytes signature) {
        return new Credential(0, 0, 0, "", 0, TYPE_SIGNED, hashId, signature);
    }

    /** A session MAC credential. */
    public static Credential mac(int sessionCounter, String hashId, Bytes mac) {
        return new Credential(0, 0, 0, "", sessionCounter, TYPE_MAC, hashId, mac);
    }
}
