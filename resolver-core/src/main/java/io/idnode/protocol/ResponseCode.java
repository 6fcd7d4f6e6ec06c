package io.idnode.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Response codes of the header (handle-protocol.md §3.2, RFC 3652 §2.2.2.2; 601–605 from
 * cn-extensions.md §6.3). {@link #valueOf(int)} keeps unknown codes. Compare codes with {@link #equals}.
 */
public final class ResponseCode {
    private static final Map<Integer, ResponseCode> KNOWN = new HashMap<>();

    /** 0: carried by every request (§2.1). */
    public static final ResponseCode RESERVED = define(0, "RESERVED");
    /** 1: success; the body is the operation's (§3.1, §3.2). */
    public static final ResponseCode SUCCESS = define(1, "SUCCESS");
    /** 2: a generic error; the client tries the next protocol (§3.2). */
    public static final ResponseCode ERROR = define(2, "ERROR");
    /** 3: the server is too busy to answer (§3.2). */
    public static final ResponseCode SERVER_TOO_BUSY = define(3, "SERVER_TOO_BUSY");
    /** 4: the request is malformed (§3.2). */
    public static final ResponseCode PROTOCOL_ERROR = define(4, "PROTOCOL_ERROR");
    /** 5: the operation is not supported here (§3.2). */
    public static final ResponseCode OPERATION_NOT_SUPPORTED = define(5, "OPERATION_NOT_SUPPORTED");
    /** 6: the request went through too many servers (§3.2). */
    public static final ResponseCode RECURSION_COUNT_TOO_HIGH = define(6, "RECURSION_COUNT_TOO_HIGH");
    /** 7: the server is read-only or disabled; sent as 303 to peers before 2.5 (§3.2). */
    public static final ResponseCode SERVER_BACKUP = define(7, "SERVER_BACKUP");
    /** 100: no such handle (§3.2, §4.1). */
    public static final ResponseCode HANDLE_NOT_FOUND = define(100, "HANDLE_NOT_FOUND");
    /** 101: the handle to create exists already (§3.2, §4.4). */
    public static final ResponseCode HANDLE_ALREADY_EXISTS = define(101, "HANDLE_ALREADY_EXISTS");
    /** 102: the handle is malformed, e.g. not UTF-8 (§3.2). */
    public static final ResponseCode INVALID_HANDLE = define(102, "INVALID_HANDLE");
    /** 200: the handle exists but no value matches (§3.2, §4.1). */
    public static final ResponseCode VALUES_NOT_FOUND = define(200, "VALUES_NOT_FOUND");
    /** 201: a value with that index exists already (§3.2, §4.4). */
    public static final ResponseCode VALUE_ALREADY_EXISTS = define(201, "VALUE_ALREADY_EXISTS");
    /** 202: a value is malformed, e.g. index 0, or the list is empty (§3.2, §4.4). */
    public static final ResponseCode INVALID_VALUE = define(202, "INVALID_VALUE");
    /** 300: the client's site information is out of date (§3.2). */
    public static final ResponseCode OUT_OF_DATE_SITE_INFO = define(300, "OUT_OF_DATE_SITE_INFO");
    /** 301: the prefix is not homed here, or the handle hashes to another server (§3.2). */
    public static final ResponseCode SERVER_NOT_RESPONSIBLE = define(301, "SERVER_NOT_RESPONSIBLE");
    /** 302: ask the service the body names (§4.3). */
    public static final ResponseCode SERVICE_REFERRAL = define(302, "SERVICE_REFERRAL");
    /** 303: ask the service of the derived prefix the body names (§4.3). */
    public static final ResponseCode PREFIX_REFERRAL = define(303, "PREFIX_REFERRAL");
    /** 400: the identity is not an admin with the permission needed (§3.2). */
    public static final ResponseCode INVALID_ADMIN = define(400, "INVALID_ADMIN");
    /** 401: no one may read or write the value this way (§3.2). */
    public static final ResponseCode INSUFFICIENT_PERMISSIONS = define(401, "INSUFFICIENT_PERMISSIONS");
    /** 402: the challenge: prove the identity first (§6.1). */
    public static final ResponseCode AUTHENTICATION_NEEDED = define(402, "AUTHENTICATION_NEEDED");
    /** 403: the challenge answer does not prove the identity (§3.2, §6.3). */
    public static final ResponseCode AUTHENTICATION_FAILED = define(403, "AUTHENTICATION_FAILED");
    /** 404: the credential is malformed (§3.2). */
    public static final ResponseCode INVALID_CREDENTIAL = define(404, "INVALID_CREDENTIAL");
    /** 405: the answer is to an unknown or expired challenge (§3.2, §6.3). */
    public static final ResponseCode AUTHEN_TIMEOUT = define(405, "AUTHEN_TIMEOUT");
    /** 406: the answer could not be checked (§3.2, §6.3). */
    public static final ResponseCode AUTHEN_ERROR = define(406, "AUTHEN_ERROR");
    /** 500: no live session with that id; the client sets up a new one (§3.2, §6.5). */
    public static final ResponseCode SESSION_TIMEOUT = define(500, "SESSION_TIMEOUT");
    /** 501: the session could not be set up (§3.2). */
    public static final ResponseCode SESSION_FAILED = define(501, "SESSION_FAILED");
    /** 502: the session MAC does not verify (§3.2, §6.5). */
    public static final ResponseCode INVALID_SESSION_KEY = define(502, "INVALID_SESSION_KEY");
    /** 503: the key exchange needs an RSA key (§3.2). */
    public static final ResponseCode NEED_RSAKEY_FOR_SESSIONEXCHANGE = define(503, "NEED_RSAKEY_FOR_SESSIONEXCHANGE");
    /** 504: the session setup request is malformed or unsupported (§3.2, §6.5). */
    public static final ResponseCode INVALID_SESSIONSETUP_REQUEST = define(504, "INVALID_SESSIONSETUP_REQUEST");
    /** 505: the session counter was used before (§3.2, §6.5). */
    public static final ResponseCode SESSION_MESSAGE_REJECTED = define(505, "SESSION_MESSAGE_REJECTED");
    /** 601: a recursive node could not reach the next node (cn-extensions.md §6.3, "PROXY FAILED"). */
    public static final ResponseCode CLIENT_CHANNEL_ERROR = define(601, "CLIENT_CHANNEL_ERROR");
    /** 602: a recursive node's question to the next node timed out (cn-extensions.md §6.3). */
    public static final ResponseCode CLIENT_TIME_OUT = define(602, "CLIENT_TIME_OUT");

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

    /** The number written in the header. */
    public int code() {
        return code;
    }

    /**
     * True if a response with this code carries the error body ({@code str message}): every code except
     * 0, 1, 302, 303 and 402 (§3.2).
     */
    public boolean hasErrorBody() {
        return !equals(RESERVED) && !equals(SUCCESS) && !equals(SERVICE_REFERRAL) && !equals(PREFIX_REFERRAL)
                && !equals(AUTHENTICATION_NEEDED);
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
