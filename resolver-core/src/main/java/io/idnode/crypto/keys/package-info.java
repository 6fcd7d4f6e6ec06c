/**
 * Key encodings (handle-protocol.md §5.4 binary, JWK of §5.6 and §8) and the node's key files, one
 * {@code KeyEncoding} per {@link io.idnode.crypto.SignatureAlgorithm}.
 */
package io.idnode.crypto.keys;
