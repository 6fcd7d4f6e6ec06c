package io.idnode.json;

import io.idnode.codec.Limits;
import io.idnode.model.ValueTypes;
import io.idnode.model.ValuePermissions;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueReference;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads handle records and values from their REST JSON form (handle-protocol.md §8): value objects
 * {@code {index, type, data, permissions, ttl, timestamp, references}} with {@code data} a bare string (UTF-8
 * text) or {@code {"format": ..., "value": ...}} in one of the {@link DataFormats}. The text is read where it
 * stands, without a tree. Members not part of a form are ignored; anything malformed is a
 * {@link JsonFormatException} naming its path. Immutable and thread-safe.
 */
public final class RecordJsonReader {
    /** A reader of the standard data formats. */
    public static final RecordJsonReader STANDARD = new RecordJsonReader(DataFormats.STANDARD);

    private static final byte[] NO_DATA = new byte[0];
    private static final long MAX_UNSIGNED_SECONDS = 0xFFFF_FFFFL;

    private final DataFormats formats;

    /** A reader of the data formats {@code formats}. */
    public RecordJsonReader(DataFormats formats) {
        this.formats = formats;
    }

    /**
     * One record {@code {"handle": "prefix/suffix", "values": [...]}}, a line of the file {@code import} reads:
     * at least one value, indexes positive and unique. Values without a timestamp get {@code defaultTimestamp}.
     */
    public HandleRecord readRecord(String json, int defaultTimestamp) throws JsonFormatException {
        try (JsonInput in = JsonInput.of(json)) {
            if (!in.isObject()) {
                throw in.error("a record must be a JSON object {\"handle\": ..., \"values\": [...]}");
            }
            in.startObject();
            String handle = null;
            List<HandleValue> values = null;
            String name;
            while ((name = in.nextField()) != null) {
                switch (name) {
                    case "handle" -> {
                        handle = in.handle();
                        if (handle.indexOf('/') <= 0) {
                            throw in.error("'" + handle + "' must look like prefix/suffix");
                        }
                    }
                    case "values" -> {
                        values = values(in, defaultTimestamp);
                        if (values.isEmpty()) {
                            throw in.error("must be a non-empty array");
                        }
                    }
                    default -> {
                        // not part of a record
                    }
                }
            }
            HandleRecord record = HandleRecord.of(in.require(handle, "handle"), in.require(values, "values"));
            in.end();
            return record;
        }
    }

    /**
     * The values of a JSON array of value objects, or of the {@code "values"} of an object such as a reply or a
     * request body ({@code {"values": [...]}}); indexes positive and unique. Values without a timestamp get
     * {@code defaultTimestamp}.
     */
    public List<HandleValue> readValues(String json, int defaultTimestamp) throws JsonFormatException {
        try (JsonInput in = JsonInput.of(json)) {
            List<HandleValue> values = null;
            if (in.isArray()) {
                values = values(in, defaultTimestamp);
            } else if (in.isObject()) {
                in.startObject();
                String name;
                while ((name = in.nextField()) != null) {
                    if (name.equals("values")) {
                        values = values(in, defaultTimestamp);
                    }
                }
                in.require(values, "values");
            } else {
                throw in.error("must be an array of values or an object with \"values\"");
            }
            in.end();
            return values;
        }
    }

    /** One value object; without a timestamp it gets {@code defaultTimestamp}. */
    public HandleValue readValue(String json, int defaultTimestamp) throws JsonFormatException {
        try (JsonInput in = JsonInput.of(json)) {
            HandleValue value = value(in, defaultTimestamp);
            in.end();
            return value;
        }
    }

    /**
     * A site description in the {@code site} format (§5.3, §8), the content of {@code siteinfo.json}; the inverse
     * of {@link RecordJsonWriter#writeSite}.
     */
    public SiteInfo readSite(String json) throws JsonFormatException {
        try (JsonInput in = JsonInput.of(json)) {
            SiteInfo site = DataFormats.SITE.read(in);
            in.end();
            return site;
        }
    }

    private List<HandleValue> values(JsonInput in, int defaultTimestamp) throws JsonFormatException {
        in.startArray();
        List<HandleValue> values = new ArrayList<>(4);
        while (in.nextElement()) {
            if (values.size() == Limits.MAX_VALUE_COUNT) {
                throw in.error("is past the most values of a record, " + Limits.MAX_VALUE_COUNT);
            }
            HandleValue value = value(in, defaultTimestamp);
            for (HandleValue earlier : values) { // records are short: a scan beats a set
                if (earlier.index() == value.index()) {
                    throw in.error("index", value.index() + " appears twice");
                }
            }
            values.add(value);
        }
        return values;
    }

    private HandleValue value(JsonInput in, int defaultTimestamp) throws JsonFormatException {
        in.startObject();
        int index = 0; // 0: not given, as a given index must be positive
        String type = null;
        byte[] data = NO_DATA;
        int permissions = ValuePermissions.DEFAULT;
        int ttlType = HandleValue.TTL_RELATIVE;
        int ttl = HandleValue.DEFAULT_TTL;
        int timestamp = defaultTimestamp;
        List<ValueReference> references = List.of();
        String name;
        while ((name = in.nextField()) != null) {
            switch (name) {
                case "index" -> {
                    index = in.integer();
                    if (index <= 0) {
                        throw in.error("must be > 0, got " + index);
                    }
                }
                case "type" -> type = type(in);
                case "data" -> data = data(in);
                case "permissions" -> permissions = PermissionBits.read(in, 4);
                case "ttl" -> {
                    if (in.isInteger()) {
                        ttlType = HandleValue.TTL_RELATIVE;
                        ttl = in.integer();
                    } else if (in.isString()) {
                        ttlType = HandleValue.TTL_ABSOLUTE;
                        ttl = time(in);
                    } else {
                        throw in.error("must be seconds or an ISO-8601 UTC time");
                    }
                }
                case "timestamp" -> timestamp = time(in);
                case "references" -> references = VlistFormat.readReferences(in);
                default -> {
                    // not part of a value
                }
            }
        }
        if (index == 0) {
            throw in.error("index", "is missing");
        }
        return HandleValue.builder(index, in.require(type, "type")).data(data).permissions(permissions)
                .ttl(ttlType, ttl).timestamp(timestamp).references(references).build();
    }

    private static String type(JsonInput in) throws JsonFormatException {
        String type = in.string();
        if (type.length() * 3 > Limits.MAX_FIELD_LENGTH
                && type.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_FIELD_LENGTH) {
            throw in.error("is longer than " + Limits.MAX_FIELD_LENGTH + " UTF-8 bytes");
        }
        return type;
    }

    private byte[] data(JsonInput in) throws JsonFormatException {
        if (in.isNull()) {
            return NO_DATA;
        }
        if (in.isString()) {
            byte[] data = in.string().getBytes(StandardCharsets.UTF_8);
            if (data.length > Limits.MAX_FIELD_LENGTH) {
                throw in.error("is longer than " + Limits.MAX_FIELD_LENGTH + " bytes");
            }
            return data;
        }
        if (in.isObject()) {
            return FormattedData.read(in, formats);
        }
        throw in.error("must be a string or {\"format\": ..., \"value\": ...}");
    }

    /** An ISO-8601 UTC time as the unsigned 32-bit seconds of the wire (§5.1). */
    private static int time(JsonInput in) throws JsonFormatException {
        String text = in.string();
        long seconds;
        try {
            seconds = UtcTime.parse(text);
        } catch (DateTimeParseException e) {
            throw in.error("must be an ISO-8601 UTC time like 2026-01-31T12:00:00Z, got '" + text + "'");
        }
        if (seconds < 0 || seconds > MAX_UNSIGNED_SECONDS) {
            throw in.error("must be from " + UtcTime.format(0) + " to " + UtcTime.format(MAX_UNSIGNED_SECONDS)
                    + ", got '" + text + "'");
        }
        return (int) seconds;
    }
}
