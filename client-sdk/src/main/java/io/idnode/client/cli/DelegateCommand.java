package io.idnode.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.client.HandleClient;
import io.idnode.client.ResolveRequest;
import io.idnode.client.ResponseException;
import io.idnode.client.Values;
import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.json.JsonFormatException;
import io.idnode.json.RecordJsonReader;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.ResponseCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code delegate}: a parent node's delegation of a derived prefix to the child node that homes it
 * (handle-protocol.md §4.3, §5.3): the child's site, from its site file, as HS_SITE (index 1) and HS_SITE.PREFIX
 * (index 2) of {@code 0.NA/<prefix>} on the parent. The record is created, or those two values replaced; run again
 * whenever the child's address, port or key changes (its site's serial number then goes up), so that clients
 * following the parent's referrals reach the child where it is now. A site file whose serial is not above the one
 * the parent has, but says something else, is refused: it is an older file.
 */
@Command(name = "delegate", mixinStandardHelpOptions = true, description = "Point a derived prefix at the node"
        + " that homes it: the child's site file becomes the HS_SITE and HS_SITE.PREFIX of 0.NA/PREFIX on this"
        + " (the parent) node. Run it again whenever the child's address, port or key changes.")
final class DelegateCommand extends NodeCommand {
    /** Index of the child's site as HS_SITE. */
    static final int SITE_INDEX = 1;
    /** Index of the child's site as HS_SITE.PREFIX. */
    static final int PREFIX_SITE_INDEX = 2;

    @Parameters(index = "0", paramLabel = "PREFIX", description = "The derived prefix, e.g. 88.100.1.")
    String prefix;

    @Parameters(index = "1", paramLabel = "SITE-FILE", description = "The child node's site file (its"
            + " siteinfo.bin or siteinfo.json).")
    Path siteFile;

    @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "86400", description = "How long resolvers may"
            + " keep the delegation (seconds). Default: ${DEFAULT-VALUE}")
    int ttl;

    @Override
    boolean administers() {
        return true;
    }

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) throws CommandFailure {
        String p = Handles.isPrefixHandle(prefix) ? prefix.substring(Handles.PREFIX_HANDLE_PREFIX.length()) : prefix;
        if (p.isEmpty() || p.indexOf('/') >= 0 || p.indexOf('.') < 0) {
            throw new CommandFailure(ExitCode.USAGE, "PREFIX must be a derived prefix such as 88.100.1, was '"
                    + prefix + "'");
        }
        if (ttl < 0) {
            throw new CommandFailure(ExitCode.USAGE, "--ttl must be 0 or more seconds, was " + ttl);
        }
        SiteInfo site = readSite(siteFile);
        String handle = Handles.prefixHandle(p);
        byte[] data = SiteInfoCodec.encode(site);
        List<HandleValue> values = List.of(value(SITE_INDEX, ValueTypes.HS_SITE, data),
                value(PREFIX_SITE_INDEX, ValueTypes.HS_SITE_PREFIX, data));

        List<HandleValue> held = current(client, handle);
        String done;
        if (held == null) {
            client.create(handle, withOwner(values, profile.profile().identityReference())).join();
            done = "created";
        } else {
            List<HandleValue> modify = new ArrayList<>();
            List<HandleValue> add = new ArrayList<>();
            for (HandleValue v : values) {
                HandleValue old = held.stream().filter(h -> h.index() == v.index()).findFirst().orElse(null);
                if (old == null) {
                    add.add(v);
                } else {
                    checkNewer(old, site);
                    if (!Arrays.equals(old.data(), data) || !old.type().equalsIgnoreCase(v.type())
                            || old.ttl() != ttl) {
                        modify.add(v);
                    }
                }
            }
            if (!modify.isEmpty()) {
                client.modifyValues(handle, modify).join();
            }
            if (!add.isEmpty()) {
                client.addValues(handle, add).join();
            }
            done = modify.isEmpty() && add.isEmpty() ? "unchanged" : "updated";
        }
        if (output.json) {
            ObjectNode doc = OutputOptions.object().put("handle", handle).put("result", done)
                    .put("serial", site.serialNumber());
            OutputOptions.print(out(), doc);
        } else {
            out().println(handle + ": " + done + ", the child's site serial " + site.serialNumber());
            out().flush();
        }
        return ExitCode.OK;
    }

    private HandleValue value(int index, String type, byte[] data) {
        return Values.bytes(index, type, data).toBuilder().ttl(HandleValue.TTL_RELATIVE, ttl).build();
    }

    /** The values of {@code handle} on the parent, or null if it has no such record. */
    private static List<HandleValue> current(HandleClient client, String handle) {
        try {
            return client.resolve(ResolveRequest.of(handle).withIndexes(SITE_INDEX, PREFIX_SITE_INDEX)
                    .withAuthoritative(true)).join().values();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ResponseException r && r.responseCode().equals(ResponseCode.HANDLE_NOT_FOUND)) {
                return null;
            }
            throw e;
        }
    }

    /** Refuses to replace the site in {@code old} by {@code site} when the latter is not newer but differs. */
    private static void checkNewer(HandleValue old, SiteInfo site) throws CommandFailure {
        SiteInfo before;
        try {
            before = SiteInfoCodec.decode(old.data());
        } catch (CodecException e) {
            return; // a malformed delegation is replaced
        }
        if (!before.equals(site) && site.serialNumber() <= before.serialNumber()) {
            throw new CommandFailure(ExitCode.FAILED, "the site file's serial " + site.serialNumber()
                    + " is not above the serial " + before.serialNumber() + " the parent holds for a different"
                    + " site: take the child's current siteinfo.bin or siteinfo.json");
        }
    }

    static SiteInfo readSite(Path file) throws CommandFailure {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.USAGE, "cannot read the site file " + file + ": " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        try {
            SiteInfo site = text.startsWith("{") ? RecordJsonReader.STANDARD.readSite(text)
                    : SiteInfoCodec.decode(bytes);
            if (site.servers().isEmpty()) {
                throw new CommandFailure(ExitCode.USAGE, file + " describes no server");
            }
            return site;
        } catch (JsonFormatException | CodecException e) {
            throw new CommandFailure(ExitCode.USAGE, file + " is not a site file (siteinfo.bin or siteinfo.json): "
                    + e.getMessage());
        }
    }
}
