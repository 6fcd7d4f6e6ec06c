package io.idnode.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Response codes of the header (handle-protocol.md §3.2, RFC 3652 §2.2.2.2; 601–605 from
 * cn-extensions.md §6.3). {@link #valueOf(int)} keeps unknown codes.
 */
public final class ResponseCode {
    private static final Map<Integer, ResponseCode> KNOWN = new HashMap<>();

    /** Used in requests. */
    public static final ResponseCode RESERVED = define(0, "RESERVED");
    public static final ResponseCode SUCCESS = define(1, "SUCCESS");
    public static final ResponseCode ERROR = define(2, "ERROR");
    public static final ResponseCode SERVER_TOO_BUSY = define(3, "SERVER_TOO_BUSY");
    public static final ResponseCode PROTOCOL_ERROR = define(4, "PROTOCOL_ERROR");
    public static final ResponseCode OPERATION_NOT_SUPPORTED = define(5, "OPERATION_NOT_SUPPORTED");
    public static final ResponseCode RECURSION_COUNT_TOO_HIGH = define(6, "RECURSION_COUNT_TOO_HIGH");
    public static final ResponseCode SERVER_BACKUP = define(7, "SERVER_BACKUP");
    public static final ResponseCode HANDLE_NOT_FOUND = define(100, "HANDLE_NOT_FOUND");
    public static final ResponseCode HANDLE_ALREADY_EXISTS = define(101, "HANDLE_ALREADY_EXISTS");
    public static final ResponseCode INVALID_HANDLE = define(102, "INVALID_HANDLE");
    public static final ResponseCode VALUES_NOT_FOUND = define(200, "VALUES_NOT_FOUND");
    public static final ResponseCode VALUE_ALREADY_EXISTS = define(201, "VALUE_ALREADY_EXISTS");
    public static final ResponseCode INVALID_VALUE = define(202, "INVALID_VALUE");
    public static final ResponseCode OUT_OF_DATE_SITE_INFO = define(300, "OUT_OF_DATE_SITE_INFO");
    public static final ResponseCode SERVER_NOT_RESPONSIBLE = define(301, "SERVER_NOT_RESPONSIBLE");
    public static final ResponseCode SERVICE_REFERRAL = define(302, "SERVICE_REFERRAL");
    public static final ResponseCode PREFIX_REFERRAL = define(303, "PREFIX_REFERRAL");
    public static final ResponseCode INVALID_ADMIN = define(400, "INVALID_ADMIN");
    public static final ResponseCode INSUFFICIENT_PERMISSIONS = define(401, "INSUFFICIENT_PERMISSIONS");
    public static final ResponseCode AUTHENTICATION_NEEDED = define(402, "AUTHENTICATION_NEEDED");
    public static final ResponseCode AUTHENTICATION_FAILED = define(403, "AUTHENTICATION_FAILED");
    public static final ResponseCode INVALID_CREDENTIAL = define(404, "INVALID_CREDENTIAL");
    public static final ResponseCode AUTHEN_TIMEOUT = define(405, "AUTHEN_TIMEOUT");
    public static final ResponseCode AUTHEN_ERROR = define(406, "AUTHEN_ERROR");
    public static final ResponseCode SESSION_TIMEOUT = define(500, "SESSION_TIMEOUT");
    public static final ResponseCode SESSION_FAILED = define(501, "SESSION_FAILED");
    public static final ResponseCode INVALID_SESSION_KEY = define(502, "INVALID_SESSION_KEY");
    public static final ResponseCode NEED_RSAKEY_FOR_SESSIONEXCHANGE = define(503, "NEED_RSAKEY_FOR_SESSIONEXCHANGE");
    public static final ResponseCode INVALID_SESSIONSETUP_REQUEST = define(504, "INVALID_SESSIONSETUP_REQUEST");
    public static final ResponseCode SESSION_MESSAGE_REJECTED = define(505, "SESSION_MESSAGE_REJECTED");

    private final int code;
    private final String name;

    private ResponseCode(int code, String name) {
        this.code = code;
        this.name = name;
    }

    private static ResponseCode define(int code, String name) {
        ResponseCode rc = new ResponseCode(code, name);
        KNOWN.put(code, rc);
        return rc;
    }

    /** The constant for {@code code}, or a new instance for an unknown code. */
    public static ResponseCode valueOf(int code) {
        ResponseCode rc = KNOWN.get(code);
        return rc != null ? rc : new ResponseCode(code, "UNKNOWN");
    }

    public int code() {
        return code;
    }

    /**
     * True if a response with this code carries the error body ({@code str message}): every code except
     * 0, 1, 302, 303 and 402 (§3.2).
     */
    public boolean hasErrorBody() {
        return code != 0 && code != 1 && code != 302 && code != 303 && code != 402;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseCode other && other.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name + "(" + code + ")";
    }
}
