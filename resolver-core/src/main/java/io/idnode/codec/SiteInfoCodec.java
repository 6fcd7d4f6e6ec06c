package io.idnode.codec;

import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.Attribute;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Data of an HS_SITE value, also used for HS_SITE.6, HS_SITE.PREFIX, HS_NA_DELEGATE and the body of a
 * GET_SITE_INFO response (handle-protocol.md §5.3, RFC 3651 §3.2.3). Like the library, the decoder rejects
 * trailing bytes. Server addresses are 16 bytes (IPv4 as 12 zero bytes + 4 bytes); interfaces are
 * {@code u8 type, u8 protocol, i32 port}.
 */
public final class SiteInfoCodec {
    /** Site flag: primary site. */
    public static final int FLAG_PRIMARY = 0x80;
    /** Site flag: multi-primary. */
    public static final int FLAG_MULTI_PRIMARY = 0x40;

    private static final int MIN_ATTRIBUTE_SIZE = 8;
    private static final int MIN_SERVER_SIZE = 4 + 16 + 4 + 4;
    private static final int MIN_INTERFACE_SIZE = 6;

    private SiteInfoCodec() {
    }

    /** Encodes the site. */
    public static byte[] encode(SiteInfo site) {
        ByteBuf out = Unpooled.buffer(256);
        try {
            write(site, out);
            return Codecs.toArray(out);
        } finally {
            out.release();
        }
    }

    /** Decodes HS_SITE data; trailing bytes are rejected. */
    public static SiteInfo decode(byte[] data) throws CodecException {
        WireReader r = new WireReader(data);
        SiteInfo site = read(r);
        r.expectEnd("HS_SITE data");
        return site;
    }

    /** Writes the site onto {@code out}. */
    public static void write(SiteInfo site, ByteBuf out) {
        out.writeShort(site.dataFormatVersion());
        out.writeByte(site.protocolMajor());
        out.writeByte(site.protocolMinor());
        out.writeShort(site.serialNumber());
        out.writeByte((site.primary() ? FLAG_PRIMARY : 0) | (site.multiPrimary() ? FLAG_MULTI_PRIMARY : 0));
        out.writeByte(site.hashOption());
        WireWriter.str(out, site.hashFilter());
        out.writeInt(site.attributes().size());
        for (Attribute a : site.attributes()) {
            WireWriter.str(out, a.name());
            WireWriter.str(out, a.value());
        }
        out.writeInt(site.servers().size());
        for (ServerInfo s : site.servers()) {
            out.writeInt(s.serverId());
            out.writeBytes(s.address());
            WireWriter.bytes(out, s.publicKey());
            out.writeInt(s.interfaces().size());
            for (ServiceInterface i : s.interfaces()) {
                out.writeByte(i.type());
                out.writeByte(i.protocol());
                out.writeInt(i.port());
            }
        }
    }

    /** Reads one site at the reader's position (the caller decides what may follow). */
    public static SiteInfo read(WireReader r) throws CodecException {
        int version = r.u16("site data format version");
        int major = r.u8("site protocol major");
        int minor = r.u8("site protocol minor");
        int serial = r.u16("site serial");
        int flags = r.u8("site flags");
        int hashOption = r.u8("site hash option");
        String hashFilter = r.str("site hash filter");
        int attributeCount = r.count("site attributes", Limits.MAX_FIELD_LENGTH, MIN_ATTRIBUTE_SIZE);
        List<Attribute> attributes = new ArrayList<>(attributeCount);
        for (int i = 0; i < attributeCount; i++) {
            attributes.add(new Attribute(r.str("site attribute name"), r.str("site attribute value")));
        }
        int serverCount = r.count("site servers", Limits.MAX_FIELD_LENGTH, MIN_SERVER_SIZE);
        List<ServerInfo> servers = new ArrayList<>(serverCount);
        for (int i = 0; i < serverCount; i++) {
            servers.add(readServer(r));
        }
        return new SiteInfo(version, major, minor, serial, (flags & FLAG_PRIMARY) != 0,
                (flags & FLAG_MULTI_PRIMARY) != 0, hashOption, hashFilter, attributes, servers);
    }

    private static ServerInfo readServer(WireReader r) throws CodecException {
        int serverId = r.i32("server id");
        byte[] address = r.raw(16, "server address");
        byte[] publicKey = r.bytes("server public key");
        int interfaceCount = r.count("server interfaces", Limits.MAX_FIELD_LENGTH, MIN_INTERFACE_SIZE);
        List<ServiceInterface> interfaces = new ArrayList<>(interfaceCount);
        for (int i = 0; i < interfaceCount; i++) {
            int type = r.u8("interface type");
            int protocol = r.u8("interface protocol");
            interfaces.add(new ServiceInterface(type, protocol, r.i32("interface port")));
        }
        return new ServerInfo(serverId, address, publicKey, interfaces);
    }
}
