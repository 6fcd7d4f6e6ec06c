package io.idnode.server.http.page;

import io.idnode.model.HandleValue;
import java.time.Instant;
import java.util.List;

/**
 * The HTML of the record pages: the home page with its lookup box, a record's values, and the errors a person
 * meets (not found, not served here, bad identifier, busy). Plain HTML and inline CSS, no script: a page works
 * without JavaScript, reads on a phone (viewport, one column under 40em), and shows everything it takes from a
 * record or a request escaped ({@link Html}).
 */
final class Pages {
    /** Name of the lookup box's parameter: {@code /?handle=PREFIX/SUFFIX}. */
    static final String LOOKUP = "handle";
    private static final int QR_PIXELS = 232;
    private static final String STYLE = """
            body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d232b;\
            background:#f5f6f8}\
            header{background:#1f3a5f;color:#fff;padding:.6em 1em;display:flex;flex-wrap:wrap;gap:.6em;\
            align-items:center;justify-content:space-between}\
            header a{color:#fff;text-decoration:none;font-weight:600}\
            main{max-width:60em;margin:0 auto;padding:1em}\
            form{display:flex;gap:.4em;flex-wrap:wrap}\
            input{font:inherit;padding:.35em .5em;border:1px solid #9aa5b1;border-radius:4px;min-width:0}\
            input[type=search]{flex:1 1 14em}\
            button{font:inherit;padding:.35em .9em;border:0;border-radius:4px;background:#2f6fb0;color:#fff}\
            .id{display:flex;gap:1.2em;flex-wrap:wrap;align-items:flex-start;background:#fff;padding:1em;\
            border-radius:6px;box-shadow:0 1px 2px #0002}\
            .id input{width:100%;font-family:ui-monospace,monospace;box-sizing:border-box}\
            .id div{flex:1 1 16em}\
            table{border-collapse:collapse;width:100%;margin-top:1em;background:#fff;box-shadow:0 1px 2px #0002}\
            th,td{text-align:left;vertical-align:top;padding:.5em .6em;border-bottom:1px solid #e1e5ea}\
            th{background:#eef1f5;font-weight:600}\
            td.idx{font-variant-numeric:tabular-nums;width:3em}\
            td.type{font-family:ui-monospace,monospace;white-space:nowrap}\
            td.data{overflow-wrap:anywhere}\
            pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0;font-size:.9em;background:#f7f8fa;\
            padding:.4em;border-radius:4px}\
            .label{color:#52606d;font-size:.85em}\
            .text{white-space:pre-wrap}\
            .qr{max-width:100%;height:auto;background:#fff}\
            .error h1{color:#a12a2a}\
            @media (max-width:40em){td.type{white-space:normal}th.ts,td.ts{display:none}}""";

    private Pages() {
    }

    /** The home page: what the node is, and the lookup box. */
    static String home() {
        return page("Idnode: look up an identifier", """
                <h1>Look up an identifier</h1>
                <p>Enter an identifier such as <code>88.100.1/PUMP-2026-000123</code> to see its values.</p>
                """ + lookup("") + "\n");
    }

    /**
     * The page of {@code handle}'s {@code values}; the QR code holds {@code resolvableUrl}, the address of this page
     * (none if null).
     */
    static String record(String handle, List<HandleValue> values, String resolvableUrl) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(Html.text(handle)).append("</h1>\n<section class=\"id\"><div>")
                .append("<label for=\"identifier\" class=\"label\">Identifier</label>")
                .append("<input id=\"identifier\" readonly value=\"").append(Html.text(handle)).append("\">");
        if (resolvableUrl != null) {
            b.append("<p class=\"label\">Resolvable address</p><p><code id=\"resolvable\">")
                    .append(Html.text(resolvableUrl)).append("</code></p>");
        }
        b.append("</div>");
        if (resolvableUrl != null) {
            b.append("<figure>").append(QrCode.svg(resolvableUrl, QR_PIXELS, "QR code of " + resolvableUrl))
                    .append("</figure>");
        }
        b.append("</section>\n");
        if (values.isEmpty()) {
            b.append("<p>This identifier has no values anyone may read.</p>\n");
        } else {
            b.append("<table id=\"values\"><thead><tr><th>Index</th><th>Type</th><th>Data</th>")
                    .append("<th class=\"ts\">Set</th></tr></thead><tbody>\n");
            for (HandleValue v : values) {
                b.append("<tr><td class=\"idx\">").append(v.index()).append("</td><td class=\"type\">")
                        .append(Html.text(v.type())).append("</td><td class=\"data\">").append(ValueView.html(v))
                        .append("</td><td class=\"ts\">")
                        .append(v.timestamp() == 0 ? "" : Instant.ofEpochSecond(v.timestamp()).toString())
                        .append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        return page(handle, b.toString());
    }

    /** An error page: {@code title} as heading, {@code explanation} below it, the lookup box with {@code handle}. */
    static String error(String title, String explanation, String handle) {
        return page(title, "<div class=\"error\"><h1>" + Html.text(title) + "</h1>\n<p>" + Html.text(explanation)
                + "</p></div>\n" + lookup(handle == null ? "" : handle) + "\n");
    }

    private static String lookup(String handle) {
        return "<form method=\"get\" action=\"/\" role=\"search\"><input type=\"search\" name=\"" + LOOKUP
                + "\" aria-label=\"Identifier\" placeholder=\"prefix/suffix\" value=\"" + Html.text(handle)
                + "\" required><button type=\"submit\">Look up</button></form>";
    }

    private static String page(String title, String content) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.text(title) + "</title><style>" + STYLE + "</style></head>\n<body><header>"
                + "<a href=\"/\">Idnode</a></header>\n<main>\n" + content + "</main></body></html>\n";
    }
}
