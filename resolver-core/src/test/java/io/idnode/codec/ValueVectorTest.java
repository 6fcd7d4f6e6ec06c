package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.model.ValueReference;
import io.idnode.testing.Vectors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Value vectors: encoded handle values, HS_ADMIN, HS_SITE and HS_VLIST data round-trip through their codecs. */
class ValueVectorTest {

    /** Every value_hex in both files, including the values nested in record vectors. */
    static Stream<String> encodedValues() {
        List<String> out = new ArrayList<>();
        for (String file : List.of(Vectors.HANDLE, Vectors.CN)) {
            for (JsonNode v : Vectors.all(file)) {
                if (v.has("value_hex")) {
                    out.add(v.get("value_hex").asText());
                }
                for (String nested : List.of("record_values", "signed_values")) {
                    v.path(nested).forEach(n -> out.add(n.get("value_hex").asText()));
                }
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(8);
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("encodedValues")
    void handleValueRebuildsFromItsFields(String valueHex) throws CodecException {
        byte[] wire = hex(valueHex);
        HandleValue v = ValueCodec.decode(wire);
        HandleValue rebuilt = HandleValue.builder(v.index(), v.type()).timestamp(v.timestamp())
                .ttl(v.ttlType(), v.ttl()).permissions(v.permissions()).data(v.data()).references(v.references())
                .build();
        assertThat(ValueCodec.encode(rebuilt)).isEqualTo(wire);
    }

    @Test
    void handleValueFieldsMatchTheLibraryJson() throws CodecException {
        for (String name : List.of("handle_value_url", "handle_value_unusual", "handle_value_hs_admin")) {
            JsonNode vector = Vectors.vector(Vectors.HANDLE, name);
            JsonNode json = vector.get("json");
            HandleValue v = ValueCodec.decode(hex(vector.get("value_hex").asText()));
            assertThat(v.index()).as(name).isEqualTo(json.get("index").asInt());
            assertThat(v.type()).as(name).isEqualTo(json.get("type").asText());
            assertThat((long) v.timestamp()).as(name)
                    .isEqualTo(Instant.parse(json.get("timestamp").asText()).getEpochSecond());
            if (json.get("ttl").isNumber()) {
                assertThat(v.ttlType()).isEqualTo(HandleValue.TTL_RELATIVE);
                assertThat(v.ttl()).isEqualTo(json.get("ttl").asInt());
            } else {
                assertThat(v.ttlType()).isEqualTo(HandleValue.TTL_ABSOLUTE);
                assertThat((long) v.ttl()).isEqualTo(Instant.parse(json.get("ttl").asText()).getEpochSecond());
            }
            String perms = json.has("permissions") ? json.get("permissions").asText() : "1110";
            assertThat(v.permissions()).as(name).isEqualTo(Integer.parseInt(perms, 2));
            List<ValueReference> refs = new ArrayList<>();
            json.path("references").forEach(r -> refs.add(new ValueReference(r.get("handle").asText(),
                    r.get("index").asInt())));
            assertThat(v.references()).as(name).isEqualTo(refs);
            JsonNode data = json.get("data");
            if ("string".equals(data.get("format").asText())) {
                assertThat(v.dataAsString()).isEqualTo(data.get("value").asText());
            } else {
                JsonNode admin = data.get("value");
                assertThat(AdminValueCodec.decode(v.data())).isEqualTo(new AdminValue(
                        Integer.parseInt(admin.get("permissions").asText(), 2), admin.get("handle").asText(),
                        admin.get("index").asInt()));
            }
        }
    }

    @Test
    void adminValuesRoundTrip() throws CodecException {
        for (String name : List.of("hs_admin_data_all_perms", "hs_admin_data_typical")) {
            JsonNode v = Vectors.vector(Vectors.HANDLE, name);
            JsonNode in = v.get("inputs");
            String perms = in.has("permissions") ? in.get("permissions").asText() : in.get("permissions_json").asText();
            byte[] data = hex(v.get("data_hex").asText());
            AdminValue admin = AdminValueCodec.decode(data);
            assertThat(admin).isEqualTo(new AdminValue(Integer.parseInt(perms, 2), in.get("adminHandle").asText(),
                    in.get("adminIndex").asInt()));
            assertThat(AdminValueCodec.encode(admin)).isEqualTo(data);
        }
        assertThat(AdminValueCodec.decode(hex("0fff0000000d302e4e412f38382e3130302e310000012c")).has(AdminValue.ALL))
                .isTrue();
    }

    @Test
    void adminValueAcceptsTwoTrailingZeroBytesOnly() throws CodecException {
        byte[] data = hex(Vectors.vector(Vectors.HANDLE, "hs_admin_data_typical").get("data_hex").asText());
        AdminValue plain = AdminValueCodec.decode(data);
        assertThat(AdminValueCodec.decode(Arrays.copyOf(data, data.length + 2))).isEqualTo(plain);

        byte[] nonZero = Arrays.copyOf(data, data.length + 2);
        nonZero[nonZero.length - 1] = 1;
        assertThatThrownBy(() -> AdminValueCodec.decode(nonZero)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> AdminValueCodec.decode(Arrays.copyOf(data, data.length + 1)))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> AdminValueCodec.decode(Arrays.copyOf(data, data.length + 3)))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void siteInfoMatchesTheLibraryJson() throws CodecException, UnknownHostException {
        JsonNode vector = Vectors.vector(Vectors.HANDLE, "hs_site_data_127_0_0_1_2641");
        JsonNode json = vector.get("json");
        byte[] data = hex(vector.get("data_hex").asText());
        SiteInfo site = SiteInfoCodec.decode(data);

        assertThat(site.dataFormatVersion()).isEqualTo(json.get("version").asInt());
        assertThat(site.protocolMajor() + "." + site.protocolMinor()).isEqualTo(json.get("protocolVersion").asText());
        assertThat(site.serialNumber()).isEqualTo(json.get("serialNumber").asInt());
        assertThat(site.primary()).isEqualTo(json.get("primarySite").asBoolean());
        assertThat(site.multiPrimary()).isEqualTo(json.get("multiPrimary").asBoolean());
        assertThat(site.hashOption()).isEqualTo(json.has("hashOption") ? json.get("hashOption").asInt() : 2);
        assertThat(site.attributes()).hasSize(json.get("attributes").size());
        for (int i = 0; i < site.attributes().size(); i++) {
            assertThat(site.attributes().get(i).name()).isEqualTo(json.get("attributes").get(i).get("name").asText());
            assertThat(site.attributes().get(i).value()).isEqualTo(json.get("attributes").get(i).get("value").asText());
        }
        assertThat(site.servers()).hasSize(json.get("servers").size());
        ServerInfo server = site.servers().get(0);
        JsonNode jsonServer = json.get("servers").get(0);
        assertThat(server.serverId()).isEqualTo(jsonServer.get("serverId").asInt());
        assertThat(ipv4Of(server.address())).isEqualTo(jsonServer.get("address").asText())
                .isEqualTo(vector.get("inputs").get("address").asText());
        assertThat(server.publicKey())
                .isEqualTo(hex(Vectors.vector(Vectors.HANDLE, "hs_pubkey_rsa_data").get("data_hex").asText()));
        JsonNode interfaces = jsonServer.get("interfaces");
        assertThat(server.interfaces()).hasSize(interfaces.size());
        for (int i = 0; i < interfaces.size(); i++) {
            ServiceInterface si = server.interfaces().get(i);
            JsonNode j = interfaces.get(i);
            assertThat((si.type() & ServiceInterface.QUERY) != 0).isEqualTo(j.get("query").asBoolean());
            assertThat((si.type() & ServiceInterface.ADMIN) != 0).isEqualTo(j.get("admin").asBoolean());
            assertThat(List.of("UDP", "TCP", "HTTP", "HTTPS").get(si.protocol())).isEqualTo(j.get("protocol").asText());
            assertThat(si.port()).isEqualTo(j.get("port").asInt());
        }
        assertThat(SiteInfoCodec.encode(site)).isEqualTo(data);
    }

    @Test
    void siteInfoWithoutKeyRoundTripsAndTrailingBytesAreRejected() throws CodecException {
        JsonNode vector = Vectors.vector(Vectors.HANDLE, "hs_site_data_no_key");
        byte[] data = hex(vector.get("data_hex").asText());
        SiteInfo site = SiteInfoCodec.decode(data);
        ServerInfo server = site.servers().get(0);
        assertThat(server.publicKey()).isEmpty();
        assertThat(server.interfaces()).extracting(ServiceInterface::port)
                .contains(vector.get("inputs").get("port").asInt());
        assertThat(SiteInfoCodec.encode(site)).isEqualTo(data);
        assertThatThrownBy(() -> SiteInfoCodec.decode(Arrays.copyOf(data, data.length + 1)))
                .isInstanceOf(CodecException.class).hasMessageContaining("trailing");
    }

    @Test
    void valueListRoundTrips() throws CodecException {
        byte[] data = hex(Vectors.vector(Vectors.HANDLE, "hs_vlist_data").get("data_hex").asText());
        List<ValueReference> refs = ValueListCodec.decode(data);
        // As the vector's description states: 300:0.NA/88.100.1 and 301:0.NA/88.100.1.
        assertThat(refs).containsExactly(new ValueReference("0.NA/88.100.1", 300),
                new ValueReference("0.NA/88.100.1", 301));
        assertThat(ValueListCodec.encode(refs)).isEqualTo(data);
        assertThatThrownBy(() -> ValueListCodec.decode(Arrays.copyOf(data, data.length - 1)))
                .isInstanceOf(CodecException.class);
    }

    private static String ipv4Of(byte[] address) throws UnknownHostException {
        for (int i = 0; i < 12; i++) {
            assertThat(address[i]).as("IPv4 is 12 zero bytes + 4 address bytes").isZero();
        }
        return InetAddress.getByAddress(Arrays.copyOfRange(address, 12, 16)).getHostAddress();
    }
}
