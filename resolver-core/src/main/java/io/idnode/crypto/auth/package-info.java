/**
 * Message authentication (handle-protocol.md §2.3 signatures and session MACs over the covered bytes, §2.4
 * request digests) and challenge answers (§6.2, §6.3).
 */
package io.idnode.crypto.auth;
