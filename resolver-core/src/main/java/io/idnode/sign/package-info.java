/**
 * Signed handle records (handle-protocol.md §5.6, cn-extensions.md §5): compact JWS, the claims of
 * HS_SIGNATURE and HS_CERT, per-value digests, certificate chains up to configured trust roots, and the
 * verification report. One implementation for the node's write-time policy, the SDK and {@code idctl}.
 * Algorithms come from {@link io.idnode.crypto.SignatureAlgorithm}; nothing here names one.
 */
package io.idnode.sign;
