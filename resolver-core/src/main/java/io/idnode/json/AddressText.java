package io.idnode.json;

/**
 * Server addresses of a site as text (handle-protocol.md §5.3, §8): the 16-byte form with 12 leading zero
 * bytes is IPv4 ({@code 127.0.0.1}), anything else IPv6 in eight groups ({@code 2001:db8:0:0:0:0:0:1}).
 * Parsed here, never through {@link java.net.InetAddress}, which would look up host names and map
 * {@code ::ffff:a.b.c.d} to IPv4.
 */
final class AddressText {
    private AddressText() {
    }

    /** The text of a 16-byte address. */
    static String text(byte[] address) {
        boolean ipv4 = true;
        for (int i = 0; i < 12; i++) {
            ipv4 &= address[i] == 0;
        }
        StringBuilder s = new StringBuilder(39);
        if (ipv4) {
            for (int i = 12; i < 16; i++) {
                s.append(i > 12 ? "." : "").append(address[i] & 0xFF);
            }
        } else {
            for (int i = 0; i < 16; i += 2) {
                s.append(i > 0 ? ":" : "").append(Integer.toHexString((address[i] & 0xFF) << 8 | address[i + 1] & 0xFF));
            }
        }
        return s.toString();
    }

    /** The 16-byte form of an IPv4 or IPv6 address literal, or null if {@code text} is not one. */
    static byte[] parse(String text) {
        int[] groups = text.indexOf(':') >= 0 ? ipv6(text) : ipv4Groups(text);
        if (groups == null) {
            return null;
        }
        byte[] address = new byte[16];
        for (int i = 0; i < 8; i++) {
            address[2 * i] = (byte) (groups[i] >> 8);
            address[2 * i + 1] = (byte) groups[i];
        }
        return address;
    }

    private static int[] ipv4Groups(String text) {
        int[] tail = ipv4(text);
        return tail == null ? null : new int[] {0, 0, 0, 0, 0, 0, tail[0], tail[1]};
    }

    /** The two 16-bit groups of a dotted IPv4 address, or null. */
    private static int[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int value = 0;
        for (String part : parts) {
            int octet = number(part, 10, 3);
            if (octet < 0 || octet > 255) {
                return null;
            }
            value = value << 8 | octet;
        }
        return new int[] {value >>> 16, value & 0xFFFF};
    }

    /** The eight groups of an IPv6 address (one "::" for a run of zero groups, an IPv4 tail allowed), or null. */
    private static int[] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), true);
        if (head == null || tail == null || (gap < 0 ? head.length != 8 : head.length + tail.length > 7)) {
            return null;
        }
        int[] groups = new int[8];
        System.arraycopy(head, 0, groups, 0, head.length);
        System.arraycopy(tail, 0, groups, 8 - tail.length, tail.length);
        return groups;
    }

    /** The groups of {@code a:b:c} ({@code ""} has none); the last may be a dotted IPv4 address if allowed. */
    private static int[] groups(String part, boolean ipv4Last) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] fields = part.split(":", -1);
        String last = fields[fields.length - 1];
        boolean dotted = ipv4Last && last.indexOf('.') >= 0;
        int[] tail = dotted ? ipv4(last) : null;
        if (dotted && tail == null) {
            return null;
        }
        int hexFields = dotted ? fields.length - 1 : fields.length;
        int[] groups = new int[hexFields + (dotted ? 2 : 0)];
        for (int i = 0; i < hexFields; i++) {
            groups[i] = number(fields[i], 16, 4);
            if (groups[i] < 0) {
                return null;
            }
        }
        if (dotted) {
            groups[hexFields] = tail[0];
            groups[hexFields + 1] = tail[1];
        }
        return groups;
    }

    /** The value of 1 to {@code maxDigits} digits in {@code radix}, or -1. */
    private static int number(String digits, int radix, int maxDigits) {
        if (digits.isEmpty() || digits.length() > maxDigits) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            int d = c < 0x80 ? Character.digit(c, radix) : -1; // Character.digit also takes non-ASCII digits
            if (d < 0) {
                return -1;
            }
            value = value * radix + d;
        }
        return value;
    }
}
