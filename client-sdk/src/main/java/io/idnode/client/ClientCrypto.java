package io.idnode.client;

import io.idnode.crypto.CryptoProviders;

/**
 * The one provider context of the client side, made on first use: every {@link HandleClient} and the static
 * helpers that read or encode keys ({@link Identity#fromPemFile}, {@link Values#publicKey}) share it, so that a
 * process holds one BouncyCastle provider however many clients it builds.
 */
final class ClientCrypto {
    private ClientCrypto() {
    }

    /** The shared context. */
    static CryptoProviders providers() {
        return Holder.PROVIDERS;
    }

    private static final class Holder {
        static final CryptoProviders PROVIDERS = CryptoProviders.create();
    }
}
