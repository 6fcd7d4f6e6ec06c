/**
 * Cryptography of the Handle protocol, through JCA only. This package is the plumbing the sub-packages share:
 * the {@link io.idnode.crypto.SignatureAlgorithm} registry, the {@link io.idnode.crypto.CryptoProviders}
 * context with its {@link io.idnode.crypto.JcaEngines}, {@link io.idnode.crypto.HashAlgorithm},
 * {@link io.idnode.crypto.Pbkdf2}, and the exceptions: {@link io.idnode.crypto.CryptoException} and its kinds
 * for verdicts on input, {@link io.idnode.crypto.CryptoEngineException} for faults. The sub-packages
 * {@code keys} (key encodings and files), {@code auth} (message signatures, MACs, request digests, challenge
 * answers) and {@code session} (session keys and cipher) depend on this one; {@code session} also on
 * {@code auth}; nothing here depends on them.
 */
package io.idnode.crypto;
