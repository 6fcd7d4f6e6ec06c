package io.idnode.server;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.keys.KeyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's key pairs under {@code DIR/keys/}: {@code node.pem} signs replies (its public half is in the
 * node's HS_SITE), of the {@link NodeKeyType} chosen at first start; {@code admin.pem} (RSA) is the
 * administrator identity {@code 300:0.NA/<prefix>} of every served prefix. Private keys are PKCS#8 PEM, mode
 * 600; public keys X.509 PEM beside them. Created on first start, read afterwards.
 */
public record NodeKeys(KeyPair node, KeyPair admin) {
    private static final Logger LOG = LoggerFactory.getLogger(NodeKeys.class);

    public static final String NODE_KEY = "node.pem";
    public static final String ADMIN_KEY = "admin.pem";

    /**
     * Reads the key pairs from {@code keysDir}, creating those that do not exist yet (an RSA node key), with the
     * engines of {@code providers}.
     */
    public static NodeKeys loadOrCreate(Path keysDir, CryptoProviders providers) throws IOException {
        return loadOrCreate(keysDir, NodeKeyType.RSA, providers);
    }

    /**
     * Reads the key pairs from {@code keysDir}, creating those that do not exist yet, the node key of type
     * {@code nodeKeyType}, with the engines of {@code providers}.
     *
     * @throws InvalidSettingException if the node key on disk is of another type (the key stays as it is)
     */
    public static NodeKeys loadOrCreate(Path keysDir, NodeKeyType nodeKeyType, CryptoProviders providers)
            throws IOException {
        Files.createDirectories(keysDir);
        KeyFiles files = new KeyFiles(providers);
        KeyPair node = loadOrCreate(files, keysDir, NODE_KEY, nodeKeyType, providers);
        SignatureAlgorithm found = algorithm(node, keysDir.resolve(NODE_KEY));
        if (found != nodeKeyType.algorithm()) {
            throw new InvalidSettingException("key-type", "is " + nodeKeyType.optionName() + ", but "
                    + keysDir.resolve(NODE_KEY) + " holds a " + found + " key: start with --key-type "
                    + NodeKeyType.of(found).map(NodeKeyType::optionName).orElse(found.name().toLowerCase(Locale.ROOT))
                    + ", or move " + NODE_KEY + " and "
                    + pubName(NODE_KEY) + " away to make a new key (clients then need the new siteinfo)");
        }
        return new NodeKeys(node, loadOrCreate(files, keysDir, ADMIN_KEY, NodeKeyType.RSA, providers));
    }

    private static SignatureAlgorithm algorithm(KeyPair pair, Path file) throws IOException {
        try {
            return SignatureAlgorithm.forKey(pair.getPrivate());
        } catch (UnsupportedAlgorithmException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String pubName(String name) {
        return name.replace(".pem", ".pub.pem");
    }

    private static KeyPair loadOrCreate(KeyFiles files, Path dir, String name, NodeKeyType type,
            CryptoProviders providers) throws IOException {
        Path priv = dir.resolve(name);
        Path pub = dir.resolve(pubName(name));
        if (Files.exists(priv)) {
            return new KeyPair(files.readPublicKeyPem(pub), files.readPrivateKeyPem(priv));
        }
        KeyPair pair = type.generate(providers, new SecureRandom());
        files.writePrivateKeyPem(priv, pair.getPrivate());
        files.writePublicKeyPem(pub, pair.getPublic());
        LOG.info("created {} key pair {}", type.optionName(), priv);
        return pair;
    }
}
