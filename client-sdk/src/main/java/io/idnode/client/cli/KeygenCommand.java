package io.idnode.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.client.Values;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.json.RecordJsonWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keygen}: a new key pair (RSA by default; {@code --type ec|ed25519|sm2}) for an identity: {@code NAME.pem}, the private key as PKCS#8 PEM readable
 * by its owner only, and {@code NAME.pub.pem}, the public key as X.509 PEM, which an administrator puts in the
 * identity's HS_PUBKEY value ({@code --value 300:HS_PUBKEY=NAME.pub.pem}). With {@code --json} the HS_PUBKEY
 * value is printed in the node's JSON form too.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = "Make a key pair for an identity:"
        + " NAME.pem (private, keep it secret) and NAME.pub.pem (public).")
final class KeygenCommand implements Callable<Integer> {
    /** Index at which the printed HS_PUBKEY value sits: the one identities use by convention. */
    private static final int KEY_INDEX = 300;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "Path and name of the key files, e.g. line1.")
    Path name;

    @Option(names = "--force", description = "Replace key files that exist.")
    boolean force;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "rsa", description = "Key type: rsa (2048 bits, the"
            + " default), ec (ECDSA P-256), ed25519 (record and certificate signatures only) or sm2 (China's SM2)."
            + " Default: ${DEFAULT-VALUE}.")
    String type;

    @Override
    public Integer call() throws CommandFailure, IOException {
        SignatureAlgorithm algorithm = switch (type.toLowerCase(Locale.ROOT)) {
            case "rsa" -> SignatureAlgorithm.RSA;
            case "ec", "p-256", "p256" -> SignatureAlgorithm.ECDSA_P256;
            case "ed25519" -> SignatureAlgorithm.ED25519;
            case "sm2" -> SignatureAlgorithm.SM2;
            default -> throw CommandFailure.usage("--type " + type + " is not a key type; use rsa, ec, ed25519 or sm2");
        };
        Path privateFile = name.resolveSibling(name.getFileName() + ".pem");
        Path publicFile = name.resolveSibling(name.getFileName() + ".pub.pem");
        for (Path f : new Path[] {privateFile, publicFile}) {
            if (Files.exists(f) && !force) {
                throw CommandFailure.usage(f + " exists; choose another NAME, or add --force to replace it (an identity"
                        + " registered with the old key then no longer works)");
            }
        }
        Path dir = privateFile.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw CommandFailure.usage("folder " + dir + " does not exist");
        }
        KeyFiles keys = new KeyFiles(CryptoProviders.create());
        KeyPair pair = keys.generate(algorithm, new SecureRandom());
        keys.writePrivateKeyPem(privateFile, pair.getPrivate());
        keys.writePublicKeyPem(publicFile, pair.getPublic());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            ObjectNode doc = OutputOptions.object().put("privateKey", privateFile.toAbsolutePath().toString())
                    .put("publicKey", publicFile.toAbsolutePath().toString());
            doc.set("hsPubkey", OutputOptions.tree(RecordJsonWriter.STANDARD.writeValue(
                    Values.publicKey(KEY_INDEX, pair.getPublic()))));
            OutputOptions.print(out, doc);
        } else {
            String kind = algorithm == SignatureAlgorithm.RSA ? "RSA " + KeyFiles.RSA_BITS : algorithm.keyName();
            out.println("private key: " + privateFile + " (" + kind + ", readable by you only; keep it secret)");
            out.println("public key:  " + publicFile);
            out.println("An administrator of the prefix makes it an identity, e.g. 300:88.100.1/LINE-1:");
            out.println("  idctl create 88.100.1/LINE-1 --value 300:HS_PUBKEY=" + publicFile);
            out.flush();
        }
        return ExitCode.OK.code();
    }
}
