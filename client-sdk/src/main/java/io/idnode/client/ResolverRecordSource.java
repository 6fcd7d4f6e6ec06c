package io.idnode.client;

import io.idnode.model.HandleValue;
import io.idnode.protocol.ResponseCode;
import io.idnode.sign.RecordSource;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * Certificates fetched over the network: a handle's public values resolved with a {@link HandleClient}, for
 * verifying chains whose certificates live on nodes (cn-extensions.md §5.3 step 2). A handle that does not
 * exist has no values; any other failure is an {@link IOException}. Thread-safe, blocking the caller.
 */
public final class ResolverRecordSource implements RecordSource {
    private final HandleClient client;

    /** Resolves with {@code client}, within its operation timeout. */
    public ResolverRecordSource(HandleClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public List<HandleValue> values(String handle) throws IOException {
        try {
            return client.resolve(handle).join().values();
        } catch (CompletionException e) {
            Throwable cause = Engine.unwrap(e);
            if (cause instanceof ResponseException r && (r.responseCode().equals(ResponseCode.HANDLE_NOT_FOUND)
                    || r.responseCode().equals(ResponseCode.VALUES_NOT_FOUND))) {
                return List.of();
            }
            throw new IOException("resolving " + handle + ": " + cause.getMessage(), cause);
        }
    }
}
