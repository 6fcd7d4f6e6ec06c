package io.idnode.codec;

/**
 * Hard maximums applied by every decoder before anything is allocated (handle-protocol.md §0). A length
 * read from the wire is checked against these and against the bytes actually remaining.
 */
public final class Limits {
    /** Largest {@code bytes}/{@code str} field and largest {@code list} count. */
    public static final int MAX_FIELD_LENGTH = 1_048_576;
    /** Largest handle, in UTF-8 bytes. */
    public static final int MAX_HANDLE_LENGTH = 2048;
    /** Most values in one record or message. */
    public static final int MAX_VALUE_COUNT = 2048;
    /** Largest message after the envelope (header + body + credential). */
    public static final int MAX_MESSAGE_LENGTH = 262_144;
    /** Largest UDP datagram: 20-byte envelope + 492 message bytes (§1.3). */
    public static final int MAX_UDP_DATAGRAM = 512;
    /** Message bytes carried by one UDP datagram (§1.3). */
    public static final int UDP_CHUNK = MAX_UDP_DATAGRAM - EnvelopeLayout.LENGTH;

    private Limits() {
    }
}
