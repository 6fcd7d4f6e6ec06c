/**
 * The client SDK: {@link io.idnode.client.HandleClient} resolves, administers and registers identifiers at
 * Handle-protocol nodes (handle-protocol.md), asynchronously, as an {@link io.idnode.client.Identity}, with
 * {@link io.idnode.client.Values} to build handle values, {@link io.idnode.client.HandleClient#register batch
 * registration} for production lines, and one exception family under
 * {@link io.idnode.client.HandleException}. The guide is {@code docs/sdk.md}; the public types are the API, the
 * package-private ones its engine.
 */
package io.idnode.client;
