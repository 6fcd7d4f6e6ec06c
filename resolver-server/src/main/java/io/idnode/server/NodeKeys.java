package io.idnode.server;

import io.idnode.crypto.KeyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
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

    /** Reads the key pairs from {@code keysDir}, creating those that do not exist yet. */
    public static NodeKeys loadOrCreate(Path keysDir) throws IOException {
        Files.createDirectories(keysDir);
        return new NodeKeys(loadOrCreate(keysDir, NODE_KEY), loadOrCreate(keysDir, ADMIN_KEY));
    }

    private static KeyPair loadOrCreate(Path dir, String name) throws IOException {
        Path priv = dir.resolve(name);
        Path pub = dir.resolve(name.replace(".pem", ".pub.pem"));
        if (Files.exists(priv)) {
            return new KeyPair(KeyFiles.readPublicKeyPem(pub), KeyFiles.readPrivateKeyPem(priv));
        }
        KeyPair pair = KeyFiles.generateRsa(new java.security.SecureRandom());
        KeyFiles.writePrivateKeyPem(priv, pair.getPrivate());
        KeyFiles.writePublicKeyPem(pub, pair.getPublic());
        LOG.info("created key pair {}", priv);
        return pair;
    }
}
