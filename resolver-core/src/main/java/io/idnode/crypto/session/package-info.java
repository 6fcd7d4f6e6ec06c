/** Session crypto (handle-protocol.md §6.5, §6.6): Diffie-Hellman session keys and the message cipher. */
package io.idnode.crypto.session;
