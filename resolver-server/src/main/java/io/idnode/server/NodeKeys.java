package io.idnode.server;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.KeyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's key pairs under {@code DIR/keys/}: {@code node.pem} signs replies (its public half is in the
 * node's HS_SITE), {@code admin.pem} is the administrator identity {@code 300:0.NA/<prefix>} of every
 * served prefix. Private keys are PKCS#8 PEM, mode 600; public keys X.509 PEM beside them. Created on first
 * start, read afterwards.
 */
public record NodeKeys(KeyPair node, KeyPair admin) {
    private static final Logger LOG = LoggerFactory.getLogger(NodeKeys.class);

    public static final String NODE_KEY = "node.pem";
    public static final String ADMIN_KEY = "admin.pem";

    /**
     * Reads the key pairs from {@code keysDir}, creating those that do not exist yet, with the engines of
     * {@code providers}.
     */
    public static NodeKeys loadOrCreate(Path keysDir, CryptoProviders providers) throws IOException {
        Files.createDirectories(keysDir);
        KeyFiles files = new KeyFiles(providers);
        return new NodeKeys(loadOrCreate(files, keysDir, NODE_KEY), loadOrCreate(files, keysDir, ADMIN_KEY));
    }

    private static KeyPair loadOrCreate(KeyFiles files, Path dir, String name) throws IOException {
        Path priv = dir.resolve(name);
        Path pub = dir.resolve(name.replace(".pem", ".pub.pem"));
        if (Files.exists(priv)) {
            return new KeyPair(files.readPublicKeyPem(pub), files.readPrivateKeyPem(priv));
        }
        KeyPair pair = files.generateRsa(new SecureRandom());
        files.writePrivateKeyPem(priv, pair.getPrivate());
        files.writePublicKeyPem(pub, pair.getPublic());
        LOG.info("created key pair {}", priv);
        return pair;
    }
}
