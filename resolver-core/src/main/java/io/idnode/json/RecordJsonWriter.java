package io.idnode.json;

import io.idnode.model.ValueTypes;
import io.idnode.model.ValuePermissions;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.protocol.ResponseCode;
import java.util.List;

/**
 * Writes handle values, records and REST API replies in their JSON form (handle-protocol.md §8), each as
 * text. Value objects carry their members in the library's order ({@code index, type, data, permissions,
 * ttl, timestamp, references}); {@code data} is shown in the format of the value's type in the
 * {@link DataFormats}, and otherwise, or when the data does not decode, as string or base64. Immutable and
 * thread-safe.
 */
public final class RecordJsonWriter {
    /** A compact writer of the standard data formats. */
    public static final RecordJsonWriter STANDARD = new RecordJsonWriter(DataFormats.STANDARD, false);

    private final DataFormats formats;
    private final boolean pretty;

    /** A compact writer of the data formats {@code formats}. */
    public RecordJsonWriter(DataFormats formats) {
        this(formats, false);
    }

    private RecordJsonWriter(DataFormats formats, boolean pretty) {
        this.formats = formats;
        this.pretty = pretty;
    }

    /** This writer, indenting its output for people (e.g. {@code siteinfo.json}). */
    public RecordJsonWriter pretty() {
        return new RecordJsonWriter(formats, true);
    }

    /** One value object. */
    public String writeValue(HandleValue value) {
        return JsonOutput.text(pretty, out -> value(value, out));
    }

    /** A JSON array of value objects. */
    public String writeValues(List<HandleValue> values) {
        return JsonOutput.text(pretty, out -> values(values, out));
    }

    /** A record as {@code {"handle": ..., "values": [...]}}: a line of the file {@code import} reads. */
    public String writeRecord(HandleRecord record) {
        return JsonOutput.text(pretty, out -> {
            out.startObject().field("handle", record.handle()).name("values");
            values(record.values(), out);
            out.endObject();
        });
    }

    /** A reply with values: {@code {"responseCode": 1, "handle": ..., "values": [...]}}. */
    public String writeReply(ResponseCode code, String handle, List<HandleValue> values) {
        return JsonOutput.text(pretty, out -> {
            out.startObject().field("responseCode", code.code()).field("handle", handle).name("values");
            values(values, out);
            out.endObject();
        });
    }

    /** A reply without values: {@code {"responseCode": ..., "handle": ..., "message": ...}}; no message if null. */
    public String writeErrorReply(ResponseCode code, String handle, String message) {
        return JsonOutput.text(pretty, out -> {
            out.startObject().field("responseCode", code.code()).field("handle", handle);
            if (message != null) {
                out.field("message", message);
            }
            out.endObject();
        });
    }

    /**
     * A page of a prefix's handles (§8, §8.1): {@code {"responseCode": 1, "prefix": ..., "totalCount": "N", "page": P,
     * "pageSize": S, "handles": [...]}}, the total count as a string as the reference server writes it.
     */
    public String writeHandleList(String prefix, long totalCount, int page, int pageSize, List<String> handles) {
        return JsonOutput.text(pretty, out -> {
            out.startObject().field("responseCode", ResponseCode.SUCCESS.code()).field("prefix", prefix)
                    .field("totalCount", Long.toString(totalCount)).field("page", page).field("pageSize", pageSize)
                    .name("handles").startArray();
            for (String h : handles) {
                out.string(h);
            }
            out.endArray().endObject();
        });
    }

    /** A referral (302, 303; §4.3, §8): {@code {"responseCode": ..., "handle": ..., "referralHandle": ..., "values": [...]}}. */
    public String writeReferral(ResponseCode code, String handle, String referralHandle, List<HandleValue> values) {
        return JsonOutput.text(pretty, out -> {
            out.startObject().field("responseCode", code.code()).field("handle", handle);
            if (referralHandle != null) {
                out.field("referralHandle", referralHandle);
            }
            out.name("values");
            values(values, out);
            out.endObject();
        });
    }

    /** The prefixes homed on a node (§8.1 {@code /api/prefixes}): {@code {"responseCode": 1, "prefixes": [...]}}. */
    public String writePrefixes(List<String> prefixes) {
        return JsonOutput.text(pretty, out -> {
            out.startObject().field("responseCode", ResponseCode.SUCCESS.code()).name("prefixes").startArray();
            for (String p : prefixes) {
                out.string(p);
            }
            out.endArray().endObject();
        });
    }

    /** A site description, the {@code value} of the {@code site} format (§5.3): the content of {@code siteinfo.json}. */
    public String writeSite(SiteInfo site) {
        return JsonOutput.text(pretty, out -> DataFormats.SITE.write(site, out));
    }

    private void values(List<HandleValue> values, JsonOutput out) {
        out.startArray();
        for (HandleValue v : values) {
            value(v, out);
        }
        out.endArray();
    }

    private void value(HandleValue v, JsonOutput out) {
        out.startObject().field("index", v.index()).field("type", v.type()).name("data");
        FormattedData.write(v.data(), out, formats.forValue(v), DataFormats.STRING, DataFormats.BASE64);
        if (v.permissions() != ValuePermissions.DEFAULT) {
            out.field("permissions", PermissionBits.text(v.permissions(), 4));
        }
        if (v.ttlType() == HandleValue.TTL_ABSOLUTE) {
            out.field("ttl", UtcTime.format(v.ttl() & 0xFFFF_FFFFL));
        } else {
            out.field("ttl", v.ttl());
        }
        if (v.timestamp() != 0) {
            out.field("timestamp", UtcTime.format(v.timestamp() & 0xFFFF_FFFFL));
        }
        if (!v.references().isEmpty()) {
            out.name("references");
            VlistFormat.writeReferences(v.references(), out);
        }
        out.endObject();
    }
}
