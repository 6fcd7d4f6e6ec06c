package io.idnode.client.cli;

import io.idnode.client.AllServersFailedException;
import io.idnode.client.ConflictException;
import io.idnode.client.HandleTimeoutException;
import io.idnode.client.InvalidReplyException;
import io.idnode.client.ResponseException;
import io.idnode.model.Handles;
import io.idnode.protocol.ResponseCode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the SDK reports into what the user reads: the exit code and a message that says what to fix,
 * naming the node, the identity and the handle concerned.
 */
final class Diagnosis {
    private final String where;
    private final String identity;

    /**
     * @param where the node as the user gave it (its address, or the site file)
     * @param identity the identity administering, or null
     */
    Diagnosis(String where, String identity) {
        this.where = where;
        this.identity = identity;
    }

    /** The failure {@code error} (or the cause it wraps) stands for. */
    CommandFailure of(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AllServersFailedException || e instanceof HandleTimeoutException) {
            // A refused connection and silence (a UDP request to a port nothing listens on) mean the same here.
            return new CommandFailure(ExitCode.UNREACHABLE, "node unreachable at " + where + " (" + e.getMessage()
                    + "). Is the node running there? Check --node or --site; --timeout waits longer", e);
        }
        if (e instanceof ResponseException r) {
            return new CommandFailure(exitCode(r.responseCode()), message(r), e);
        }
        if (e instanceof InvalidReplyException) {
            return new CommandFailure(ExitCode.FAILED, e.getMessage() + ". Is " + where + " the node you meant?", e);
        }
        return new CommandFailure(ExitCode.FAILED, String.valueOf(e.getMessage() == null ? e : e.getMessage()), e);
    }

    /** One line about a failed item of an import: what went wrong and what to fix. */
    String brief(Throwable error) {
        Throwable e = unwrap(error);
        return e instanceof ResponseException r ? message(r) : of(e).getMessage();
    }

    /**
     * True if {@code error} is not about one item but about the node or the identity (unreachable, no reply,
     * authentication failed), so that a batch had better stop than fail every item the same way.
     */
    boolean stopsBatch(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AllServersFailedException || e instanceof HandleTimeoutException) {
            return true;
        }
        return e instanceof ResponseException r && isAuthentication(r.responseCode());
    }

    private static boolean isAuthentication(ResponseCode code) {
        return code.equals(ResponseCode.AUTHENTICATION_NEEDED) || code.equals(ResponseCode.AUTHENTICATION_FAILED)
                || code.equals(ResponseCode.INVALID_CREDENTIAL) || code.equals(ResponseCode.AUTHEN_ERROR);
    }

    private static ExitCode exitCode(ResponseCode code) {
        int c = code.code();
        return c >= 400 && c < 500 ? ExitCode.DENIED : ExitCode.FAILED;
    }

    private String message(ResponseException r) {
        String handle = r.handle() == null ? "" : r.handle();
        String node = r.server() == null ? where : r.server().getHostString() + ":" + r.server().getPort();
        String said = r.serverMessage().isEmpty() ? "" : " (the node says: " + r.serverMessage() + ")";
        if (r instanceof ConflictException) {
            return handle + " is registered already with other values; it was left as it is. Resolve it to compare,"
                    + " or use --if-exists overwrite to replace it";
        }
        int code = r.responseCode().code();
        if (code == ResponseCode.HANDLE_NOT_FOUND.code()) {
            return handle + " does not exist at " + node;
        }
        if (code == ResponseCode.HANDLE_ALREADY_EXISTS.code()) {
            return handle + " exists already; use --if-exists overwrite to replace it";
        }
        if (code == ResponseCode.SERVER_NOT_RESPONSIBLE.code()) {
            return "unknown prefix " + Handles.governingPrefix(handle) + ": the node at " + node + " does not serve"
                    + " it; check the identifier's prefix, or the node (--node, --site)";
        }
        if (code == ResponseCode.INVALID_ADMIN.code() || code == ResponseCode.INSUFFICIENT_PERMISSIONS.code()) {
            return "no permission: " + (identity == null ? "the identity" : identity) + " may not do this on " + handle
                    + said + ". An administrator of the prefix grants it with an HS_ADMIN value naming the identity"
                    + " (README, \"Register your first product identifier\")";
        }
        if (code == ResponseCode.AUTHENTICATION_NEEDED.code()) {
            return "this needs an identity: give --identity INDEX:HANDLE and --key FILE (or save them with idctl"
                    + " profile)";
        }
        if (isAuthentication(r.responseCode())) {
            return "authentication as " + (identity == null ? "the identity" : identity) + " failed" + said
                    + ": wrong key, or the identity's handle has no HS_PUBKEY at that index on " + node
                    + ". Check --key and --identity";
        }
        return r.getMessage() == null ? r.responseCode() + said : r.getMessage();
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
