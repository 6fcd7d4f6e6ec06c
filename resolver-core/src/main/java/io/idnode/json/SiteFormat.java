package io.idnode.json;

import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.Attribute;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code site} format of HS_SITE data (handle-protocol.md §5.3, §8), also the content of
 * {@code siteinfo.json}. Every member the writer writes is required on reading, except {@code hashOption}
 * (2, by whole handle), {@code hashFilter} (empty) and a server's {@code publicKey} (none); each field is
 * checked against the range of its wire field, and a port against 0–65535.
 */
final class SiteFormat implements DataFormat<SiteInfo> {
    private static final String[] PROTOCOLS = {"UDP", "TCP", "HTTP", "HTTPS"};

    private final KeyFormat keys;
    private final DataFormats publicKeyFormats;

    /** A site format showing server keys through {@code keys} (or as base64 when they have no JWK form). */
    SiteFormat(KeyFormat keys) {
        this.keys = keys;
        this.publicKeyFormats = DataFormats.NONE.with(keys).with(DataFormats.BASE64);
    }

    @Override
    public String name() {
        return "site";
    }

    @Override
    public SiteInfo decode(byte[] data) {
        try {
            return SiteInfoCodec.decode(data);
        } catch (CodecException e) {
            return null;
        }
    }

    @Override
    public byte[] encode(SiteInfo value) {
        return SiteInfoCodec.encode(value);
    }

    @Override
    public SiteInfo read(JsonInput in) throws JsonFormatException {
        in.startObject();
        Integer version = null;
        int[] protocol = null;
        Integer serial = null;
        Boolean primary = null;
        Boolean multiPrimary = null;
        int hashOption = SiteInfo.HASH_BY_HANDLE;
        String hashFilter = "";
        List<Attribute> attributes = null;
        List<ServerInfo> servers = null;
        String name;
        while ((name = in.nextField()) != null) {
            switch (name) {
                case "version" -> version = in.integer(0, 0xFFFF);
                case "protocolVersion" -> protocol = protocolVersion(in);
                case "serialNumber" -> serial = in.integer(0, 0xFFFF);
                case "primarySite" -> primary = in.bool();
                case "multiPrimary" -> multiPrimary = in.bool();
                case "hashOption" -> hashOption = in.integer(0, 0xFF);
                case "hashFilter" -> hashFilter = in.string();
                case "attributes" -> attributes = attributes(in);
                case "servers" -> servers = servers(in);
                default -> {
                    // not part of a site
                }
            }
        }
        in.require(version, "version");
        in.require(protocol, "protocolVersion");
        in.require(serial, "serialNumber");
        in.require(primary, "primarySite");
        in.require(multiPrimary, "multiPrimary");
        in.require(attributes, "attributes");
        in.require(servers, "servers");
        return new SiteInfo(version, protocol[0], protocol[1], serial, primary, multiPrimary, hashOption, hashFilter,
                attributes, servers);
    }

    private static int[] protocolVersion(JsonInput in) throws JsonFormatException {
        String text = in.string();
        if (text.matches("[0-9]{1,3}\\.[0-9]{1,3}")) {
            int dot = text.indexOf('.');
            int major = Integer.parseInt(text.substring(0, dot));
            int minor = Integer.parseInt(text.substring(dot + 1));
            if (major <= 0xFF && minor <= 0xFF) {
                return new int[] {major, minor};
            }
        }
        throw in.error("must be \"major.minor\", each from 0 to 255, like \"2.11\", got '" + text + "'");
    }

    private static List<Attribute> attributes(JsonInput in) throws JsonFormatException {
        List<Attribute> attributes = new ArrayList<>();
        in.startArray();
        while (in.nextElement()) {
            in.startObject();
            String name = null;
            String value = null;
            String member;
            while ((member = in.nextField()) != null) {
                switch (member) {
                    case "name" -> name = in.string();
                    case "value" -> value = in.string();
                    default -> {
                        // not part of an attribute
                    }
                }
            }
            attributes.add(new Attribute(in.require(name, "name"), in.require(value, "value")));
        }
        return attributes;
    }

    private List<ServerInfo> servers(JsonInput in) throws JsonFormatException {
        List<ServerInfo> servers = new ArrayList<>();
        in.startArray();
        while (in.nextElement()) {
            in.startObject();
            Integer serverId = null;
            byte[] address = null;
            byte[] publicKey = new byte[0];
            List<ServiceInterface> interfaces = null;
            String member;
            while ((member = in.nextField()) != null) {
                switch (member) {
                    case "serverId" -> serverId = in.integer();
                    case "address" -> address = address(in);
                    case "publicKey" -> publicKey = FormattedData.read(in, publicKeyFormats);
                    case "interfaces" -> interfaces = interfaces(in);
                    default -> {
                        // not part of a server
                    }
                }
            }
            servers.add(new ServerInfo(in.require(serverId, "serverId"), in.require(address, "address"), publicKey,
                    in.require(interfaces, "interfaces")));
        }
        return servers;
    }

    private static byte[] address(JsonInput in) throws JsonFormatException {
        String text = in.string();
        byte[] address = AddressText.parse(text);
        if (address == null) {
            throw in.error("must be an IPv4 or IPv6 address, got '" + text + "'");
        }
        return address;
    }

    private static List<ServiceInterface> interfaces(JsonInput in) throws JsonFormatException {
        List<ServiceInterface> interfaces = new ArrayList<>();
        in.startArray();
        while (in.nextElement()) {
            in.startObject();
            Boolean query = null;
            Boolean admin = null;
            Integer protocol = null;
            Integer port = null;
            String member;
            while ((member = in.nextField()) != null) {
                switch (member) {
                    case "query" -> query = in.bool();
                    case "admin" -> admin = in.bool();
                    case "protocol" -> protocol = protocol(in);
                    case "port" -> port = in.integer(0, 0xFFFF);
                    default -> {
                        // not part of an interface
                    }
                }
            }
            int type = (in.require(query, "query") ? ServiceInterface.QUERY : 0)
                    | (in.require(admin, "admin") ? ServiceInterface.ADMIN : 0);
            interfaces.add(new ServiceInterface(type, in.require(protocol, "protocol"), in.require(port, "port")));
        }
        return interfaces;
    }

    /** A protocol by name, or by the number the writer shows for one without a name. */
    private static int protocol(JsonInput in) throws JsonFormatException {
        String text = in.string();
        for (int i = 0; i < PROTOCOLS.length; i++) {
            if (PROTOCOLS[i].equals(text)) {
                return i;
            }
        }
        if (text.matches("[0-9]{1,3}") && Integer.parseInt(text) <= 0xFF) {
            return Integer.parseInt(text);
        }
        throw in.error("must be UDP, TCP, HTTP or HTTPS, got '" + text + "'");
    }

    @Override
    public void write(SiteInfo site, JsonOutput out) {
        out.startObject()
                .field("version", site.dataFormatVersion())
                .field("protocolVersion", site.protocolMajor() + "." + site.protocolMinor())
                .field("serialNumber", site.serialNumber())
                .field("primarySite", site.primary())
                .field("multiPrimary", site.multiPrimary());
        if (site.hashOption() != SiteInfo.HASH_BY_HANDLE) {
            out.field("hashOption", site.hashOption());
        }
        if (!site.hashFilter().isEmpty()) {
            out.field("hashFilter", site.hashFilter());
        }
        out.name("attributes").startArray();
        for (Attribute a : site.attributes()) {
            out.startObject().field("name", a.name()).field("value", a.value()).endObject();
        }
        out.endArray().name("servers").startArray();
        for (ServerInfo s : site.servers()) {
            out.startObject().field("serverId", s.serverId()).field("address", AddressText.text(s.address()))
                    .name("publicKey");
            FormattedData.write(s.publicKey(), out, keys, DataFormats.BASE64);
            out.name("interfaces").startArray();
            for (ServiceInterface i : s.interfaces()) {
                out.startObject()
                        .field("query", (i.type() & ServiceInterface.QUERY) != 0)
                        .field("admin", (i.type() & ServiceInterface.ADMIN) != 0)
                        .field("protocol", i.protocol() < PROTOCOLS.length ? PROTOCOLS[i.protocol()]
                                : Integer.toString(i.protocol()))
                        .field("port", i.port())
                        .endObject();
            }
            out.endArray().endObject();
        }
        out.endArray().endObject();
    }
}
