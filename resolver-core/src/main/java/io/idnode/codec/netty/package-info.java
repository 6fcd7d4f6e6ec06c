/**
 * Thin Netty adapters around {@link io.idnode.codec.MessageCodec}: TCP framing and message encoding. No
 * bootstrap, no channel setup; the server and SDK modules assemble pipelines from these.
 */
package io.idnode.codec.netty;
