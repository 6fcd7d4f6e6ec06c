package io.idnode.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Operation codes of the header (handle-protocol.md §3.1, RFC 3652 §2.2.2.1; 2001 from cn-extensions.md
 * §3). {@link #valueOf(int)} keeps unknown codes so they can be answered with "not supported".
 */
public final class OpCode {
    private static final Map<Integer, OpCode> KNOWN = new HashMap<>();
    // The codes below 512 by index: every request's opCode is looked up, most of them RESOLUTION.
    private static final OpCode[] SMALL = new OpCode[512];

    public static final OpCode RESERVED = define(0, "RESERVED");
    public static final OpCode RESOLUTION = define(1, "RESOLUTION");
    public static final OpCode GET_SITE_INFO = define(2, "GET_SITE_INFO");
    public static final OpCode CREATE_HANDLE = define(100, "CREATE_HANDLE");
    public static final OpCode DELETE_HANDLE = define(101, "DELETE_HANDLE");
    public static final OpCode ADD_VALUE = define(102, "ADD_VALUE");
    public static final OpCode REMOVE_VALUE = define(103, "REMOVE_VALUE");
    public static final OpCode MODIFY_VALUE = define(104, "MODIFY_VALUE");
    public static final OpCode LIST_HANDLES = define(105, "LIST_HANDLES");
    public static final OpCode CHALLENGE_RESPONSE = define(200, "CHALLENGE_RESPONSE");
    public static final OpCode VERIFY_CHALLENGE = define(201, "VERIFY_CHALLENGE");
    public static final OpCode HOME_PREFIX = define(300, "HOME_PREFIX");
    public static final OpCode UNHOME_PREFIX = define(301, "UNHOME_PREFIX");
    public static final OpCode LIST_HOMED_PREFIXES = define(302, "LIST_HOMED_PREFIXES");
    public static final OpCode SESSION_SETUP = define(400, "SESSION_SETUP");
    public static final OpCode SESSION_TERMINATE = define(401, "SESSION_TERMINATE");
    public static final OpCode SESSION_EXCHANGE_KEY = define(402, "SESSION_EXCHANGE_KEY");
    public static final OpCode GET_NEXT_TXN_ID = define(1000, "GET_NEXT_TXN_ID");
    public static final OpCode RETRIEVE_TXN_LOG = define(1001, "RETRIEVE_TXN_LOG");
    public static final OpCode DUMP_HANDLES = define(1002, "DUMP_HANDLES");
    public static final OpCode BACKUP_SERVER = define(1003, "BACKUP_SERVER");
    /** Login of the Chinese industrial SDK (cn-extensions.md §3). */
    public static final OpCode LOGIN = define(2001, "LOGIN");

    private final int code;
    private final String name;

    private OpCode(int code, String name) {
        this.code = code;
        this.name = name;
    }

    private static OpCode define(int code, String name) {
        OpCode op = new OpCode(code, name);
        KNOWN.put(code, op);
        if (code < SMALL.length) {
            SMALL[code] = op;
        }
        return op;
    }

    /** The constant for {@code code}, or a new instance for an unknown code. */
    public static OpCode valueOf(int code) {
        OpCode op = code >= 0 && code < SMALL.length ? SMALL[code] : KNOWN.get(code);
        return op != null ? op : new OpCode(code, "UNKNOWN");
    }

    public int code() {
        return code;
    }

    /** True for the operations a client sends only to primary sites and admin interfaces (§3.1). */
    public boolean isAdministrative() {
        return code >= 100 && code <= 104 || code == 300 || code == 301;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpCode other && other.code == code;
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
