package io.idnode.client;

import io.idnode.model.Handles;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.ResponseCode;
import java.util.List;

/**
 * The client's failure messages: what went wrong, the node's own words, the code, the server, and what to fix
 * (handle-protocol.md §3.2), e.g. "create of 88.100.9/X refused: prefix 88.100.9 is not served at
 * 127.0.0.1:2641 (SERVER_NOT_RESPONSIBLE(301): prefix not homed here); check the prefix, or point the client at
 * a node that serves it".
 */
final class Errors {
    private Errors() {
    }

    /** The exception for an error reply to {@code what} (e.g. "create of 88.100.1/X") from {@code ep}. */
    static ResponseException response(Message reply, String what, String handle, Endpoint ep, ClientSettings s) {
        ResponseCode rc = reply.responseCode();
        String said = reply.body() instanceof ErrorResponse e ? e.message() : "";
        String where = ep == null ? "" : " at " + ep;
        String code = " (" + rc + (said.isEmpty() ? "" : ": " + said) + ")";
        String identity = s.identity().map(i -> i.reference().toString()).orElse("no identity");
        String text = switch (rc.code()) {
            case 100 -> what + " failed: " + handle + " does not exist" + where + code;
            case 101 -> what + " failed: " + handle + " exists already" + where + code
                    + "; to replace it, create with IfExists.OVERWRITE";
            case 102 -> what + " failed: '" + handle + "' is not a valid handle" + code
                    + "; a handle is prefix/suffix, e.g. 88.100.1/PUMP-1";
            case 200 -> what + " failed: no value at the indexes given" + where + code;
            case 201 -> what + " failed: a value exists at an index given" + where + code
                    + "; modify it instead, or remove it first";
            case 202 -> what + " failed: a value is not acceptable" + code
                    + "; indexes must be positive, and under a prefix requiring signed records the record must"
                    + " carry a valid signature";
            case 301 -> what + " failed: prefix " + Handles.governingPrefix(handle == null ? "" : handle)
                    + " is not served" + where + code + "; check the prefix, or point the client at a node that"
                    + " serves it";
            case 400 -> what + " refused: " + identity + " lacks the permission" + where + code
                    + "; grant it with an HS_ADMIN value on " + handle + " (or, to create, on "
                    + Handles.prefixHandle(Handles.governingPrefix(handle == null ? "" : handle)) + ")";
            case 401 -> what + " refused: the value may not be written or read by anyone" + where + code;
            case 402 -> what + " needs authentication" + where + code
                    + "; give the client an identity (HandleClient.Builder.identity)";
            case 403 -> what + " refused: authentication of " + identity + " failed" + where + code
                    + "; the key does not match the identity's HS_PUBKEY or HS_SECKEY value: check the key file"
                    + " and the index";
            case 404, 406 -> what + " refused: " + identity + " cannot be checked" + where + code
                    + "; the identity's handle must exist on the node with an HS_PUBKEY or HS_SECKEY value at "
                    + "that index";
            case 405 -> what + " refused: the challenge expired before its answer" + where + code;
            case 3 -> what + " refused: the node is too busy" + where + code + "; retry later";
            case 5 -> what + " failed: the node does not support it" + where + code;
            default -> what + " failed" + where + code;
        };
        return new ResponseException(text, rc, said, handle, ep == null ? null : ep.key());
    }

    /** A duration as people write it: "300 ms", "10 s", "2 min". */
    static String text(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms < 1000 || ms % 1000 != 0) {
            return ms + " ms";
        }
        long s = ms / 1000;
        return s < 120 || s % 60 != 0 ? s + " s" : s / 60 + " min";
    }

    /** The conflict of a create (or add) that found other values than those sent. */
    static ConflictException conflict(String what, String handle, Endpoint ep, ResponseCode rc,
            List<HandleValue> existing) {
        return new ConflictException(what + " found " + handle + " registered already with other values"
                + (ep == null ? "" : " at " + ep) + "; it was left as it is (" + existing.size() + " values there)",
                rc, handle, ep == null ? null : ep.key(), existing);
    }
}
