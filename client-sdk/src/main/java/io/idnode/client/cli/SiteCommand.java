package io.idnode.client.cli;

import io.idnode.client.HandleClient;
import io.idnode.json.RecordJsonWriter;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code site}: the node's site description (HS_SITE, §5.3), asked of it (GET_SITE_INFO, §3.1). */
@Command(name = "site", mixinStandardHelpOptions = true, description = "Show the node's site: its servers, ports"
        + " and serial number.")
final class SiteCommand extends NodeCommand {
    @Override
    boolean administers() {
        return false;
    }

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) {
        SiteInfo site = client.siteInfo().join();
        if (output.json) {
            OutputOptions.print(out(), OutputOptions.tree(RecordJsonWriter.STANDARD.writeSite(site)));
            return ExitCode.OK;
        }
        out().println("site serial " + site.serialNumber() + ", protocol " + site.protocolMajor() + "."
                + site.protocolMinor() + (site.primary() ? ", primary" : "") + ", " + site.servers().size()
                + " server(s)");
        for (ServerInfo s : site.servers()) {
            out().println("  server " + s.serverId() + " at " + address(s.address()) + ": " + s.interfaces().stream()
                    .map(SiteCommand::describe).collect(Collectors.joining(", ")) + (s.publicKey().length > 0
                            ? ", signing key " + s.publicKey().length + " bytes" : ""));
        }
        out().flush();
        return ExitCode.OK;
    }

    private static String describe(ServiceInterface i) {
        String protocol = switch (i.protocol()) {
            case ServiceInterface.UDP -> "UDP";
            case ServiceInterface.TCP -> "TCP";
            case ServiceInterface.HTTP -> "HTTP";
            default -> "protocol " + i.protocol();
        };
        String type = switch (i.type()) {
            case ServiceInterface.ADMIN -> " (admin)";
            case ServiceInterface.QUERY -> " (query)";
            case ServiceInterface.ADMIN_AND_QUERY -> "";
            default -> " (out of service)";
        };
        return protocol + " " + i.port() + type;
    }

    /** The 16-byte address of §5.3 as text: IPv4 when its first 12 bytes are zero (or it is IPv4-mapped). */
    private static String address(byte[] address) {
        try {
            if (address.length == 16 && Arrays.equals(address, 0, 10, new byte[10], 0, 10)
                    && (address[10] == 0 && address[11] == 0 || address[10] == -1 && address[11] == -1)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(address, 12, 16)).getHostAddress();
            }
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return "(address of " + address.length + " bytes)";
        }
    }
}
