package io.idnode.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Operation codes of the header (handle-protocol.md §3.1, RFC 3652 §2.2.2.1; 2001 from cn-extensions.md
 * §3). {@link #valueOf(int)} keeps unknown codes so they can be answered with "not supported". Compare codes
 * with {@link #equals}: known codes are one instance each, unknown ones are equal by their number.
 */
public final class OpCode {
    private static final Map<Integer, OpCode> KNOWN = new HashMap<>();
    // The codes below 512 by index: every request's opCode is looked up, most of them RESOLUTION.
    private static final OpCode[] SMALL = new OpCode[512];

    /** 0: no operation; the opCode of an error reply to a request that could not be parsed (§3.1). */
    public static final OpCode RESERVED = define(0, "RESERVED", false);
    /** 1: resolve a handle's values (§4.1, §4.2). */
    public static final OpCode RESOLUTION = define(1, "RESOLUTION", false);
    /** 2: get the site information of the server (§3.1). */
    public static final OpCode GET_SITE_INFO = define(2, "GET_SITE_INFO", false);
    /** 100: create a handle with its values (§4.4). */
    public static final OpCode CREATE_HANDLE = define(100, "CREATE_HANDLE", true);
    /** 101: delete a handle (§4.4). */
    public static final OpCode DELETE_HANDLE = define(101, "DELETE_HANDLE", true);
    /** 102: add values to a handle (§4.4). */
    public static final OpCode ADD_VALUE = define(102, "ADD_VALUE", true);
    /** 103: remove values of a handle by index (§4.4). */
    public static final OpCode REMOVE_VALUE = define(103, "REMOVE_VALUE", true);
    /** 104: replace values of a handle (§4.4). */
    public static final OpCode MODIFY_VALUE = define(104, "MODIFY_VALUE", true);
    /** 105: list the handles under a prefix (§3.1). */
    public static final OpCode LIST_HANDLES = define(105, "LIST_HANDLES", false);
    /** 200: the answer to a challenge (§6.2). */
    public static final OpCode CHALLENGE_RESPONSE = define(200, "CHALLENGE_RESPONSE", false);
    /** 201: ask a server to verify a challenge answer (§6.4). */
    public static final OpCode VERIFY_CHALLENGE = define(201, "VERIFY_CHALLENGE", false);
    /** 300: home a prefix on the server (§3.1). */
    public static final OpCode HOME_PREFIX = define(300, "HOME_PREFIX", true);
    /** 301: unhome a prefix (§3.1). */
    public static final OpCode UNHOME_PREFIX = define(301, "UNHOME_PREFIX", true);
    /** 302: list the prefixes homed on the server (§3.1). */
    public static final OpCode LIST_HOMED_PREFIXES = define(302, "LIST_HOMED_PREFIXES", false);
    /** 400: set up a session (§6.5). */
    public static final OpCode SESSION_SETUP = define(400, "SESSION_SETUP", false);
    /** 401: end a session (§6.5). */
    public static final OpCode SESSION_TERMINATE = define(401, "SESSION_TERMINATE", false);
    /** 402: send an encrypted session key (§6.5). */
    public static final OpCode SESSION_EXCHANGE_KEY = define(402, "SESSION_EXCHANGE_KEY", false);
    /** 1000: replication, get the next transaction id (§3.1). */
    public static final OpCode GET_NEXT_TXN_ID = define(1000, "GET_NEXT_TXN_ID", false);
    /** 1001: replication, retrieve the transaction log (§3.1). */
    public static final OpCode RETRIEVE_TXN_LOG = define(1001, "RETRIEVE_TXN_LOG", false);
    /** 1002: replication, dump the handles (§3.1). */
    public static final OpCode DUMP_HANDLES = define(1002, "DUMP_HANDLES", false);
    /** 1003: put the server in backup mode (§3.1). */
    public static final OpCode BACKUP_SERVER = define(1003, "BACKUP_SERVER", false);
    /** 2001: login of the Chinese industrial SDK (cn-extensions.md §3). */
    public static final OpCode LOGIN = define(2001, "LOGIN", false);

    private final int code;
    private final String name;
    private final boolean administrative;

    private OpCode(int code, String name, boolean administrative) {
        this.code = code;
        this.name = name;
        this.administrative = administrative;
    }

    private static OpCode define(int code, String name, boolean administrative) {
        OpCode op = new OpCode(code, name, administrative);
        KNOWN.put(code, op);
        if (code < SMALL.length) {
            SMALL[code] = op;
        }
        return op;
    }

    /** The constant for {@code code}, or a new instance for an unknown code. */
    public static OpCode valueOf(int code) {
        OpCode op = code >= 0 && code < SMALL.length ? SMALL[code] : KNOWN.get(code);
        return op != null ? op : new OpCode(code, "UNKNOWN", false);
    }

    /** The number written in the header. */
    public int code() {
        return code;
    }

    /** True for the operations a client sends only to primary sites and admin interfaces (§3.1). */
    public boolean isAdministrative() {
        return administrative;
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
