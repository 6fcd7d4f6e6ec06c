package io.idnode.client;

import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The operations of a {@link HandleClient} as blocking calls, each a wait for the future of the asynchronous
 * call: a failure is thrown as the {@link HandleException} (or other exception) the future failed with. Thread-safe.
 */
public final class BlockingHandleClient {
    private final HandleClient client;

    BlockingHandleClient(HandleClient client) {
        this.client = client;
    }

    /** {@link HandleClient#resolve(String)}, waited for. */
    public Resolution resolve(String handle) throws InterruptedException {
        return await(client.resolve(handle));
    }

    /** {@link HandleClient#resolve(ResolveRequest)}, waited for. */
    public Resolution resolve(ResolveRequest request) throws InterruptedException {
        return await(client.resolve(request));
    }

    /** {@link HandleClient#siteInfo()}, waited for. */
    public SiteInfo siteInfo() throws InterruptedException {
        return await(client.siteInfo());
    }

    /** {@link HandleClient#create(String, List)}, waited for. */
    public CreateResult create(String handle, List<HandleValue> values) throws InterruptedException {
        return await(client.create(handle, values));
    }

    /** {@link HandleClient#create(CreateRequest)}, waited for. */
    public CreateResult create(CreateRequest request) throws InterruptedException {
        return await(client.create(request));
    }

    /** {@link HandleClient#addValues}, waited for. */
    public void addValues(String handle, List<HandleValue> values) throws InterruptedException {
        await(client.addValues(handle, values));
    }

    /** {@link HandleClient#modifyValues}, waited for. */
    public void modifyValues(String handle, List<HandleValue> values) throws InterruptedException {
        await(client.modifyValues(handle, values));
    }

    /** {@link HandleClient#removeValues}, waited for. */
    public void removeValues(String handle, int... indexes) throws InterruptedException {
        await(client.removeValues(handle, indexes));
    }

    /** {@link HandleClient#delete}, waited for. */
    public void delete(String handle) throws InterruptedException {
        await(client.delete(handle));
    }

    /** {@link HandleClient#listHandles(String)}, waited for. */
    public List<String> listHandles(String prefix) throws InterruptedException {
        return await(client.listHandles(prefix));
    }

    /** {@link HandleClient#home}, waited for. */
    public void home(String prefix) throws InterruptedException {
        await(client.home(prefix));
    }

    /** {@link HandleClient#unhome}, waited for. */
    public void unhome(String prefix) throws InterruptedException {
        await(client.unhome(prefix));
    }

    /** {@link HandleClient#listHomedPrefixes}, waited for. */
    public List<String> listHomedPrefixes() throws InterruptedException {
        return await(client.listHomedPrefixes());
    }

    /**
     * Waits for {@code future}: its value, or the exception it failed with, thrown as is when unchecked (every
     * {@link HandleException} is).
     */
    static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
