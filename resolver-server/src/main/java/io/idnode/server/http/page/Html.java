package io.idnode.server.http.page;

/**
 * Escaping for the pages: every piece of text a page shows that comes from a record, a request or the node
 * passes through {@link #text}, so a value holding markup or script shows as its characters and runs nothing.
 */
final class Html {
    private Html() {
    }

    /** {@code s} safe in element content and in a double- or single-quoted attribute. */
    static String text(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // Control characters other than tab and line breaks would make the page invalid; show them.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                        b.append("\\u").append(String.format("%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
