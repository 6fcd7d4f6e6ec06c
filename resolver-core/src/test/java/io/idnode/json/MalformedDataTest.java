package io.idnode.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed data in each format is a {@link JsonFormatException} naming the member at fault and what is wrong. */
class MalformedDataTest {
    private static final String RSA_N = "zyc3ZZ6TdFWkt7sT3en1aYQFFSgH5rJa0sP4XiGfjU5a_PK7lcz_M5kjYg8f0jzFp7kNNu56gj-Oy8aC0-"
            + "KfM2ly1cZGolK0h8J8YekVaKb5C1oVdkQxb0NZ4mNOw2pbExiBHJer4zslm1Dimw1Z3kW-7e43olrlQKiN_a0-Um8";
    private static final String SERVER = "{\"serverId\":1,\"address\":\"127.0.0.1\",\"interfaces\":[]}";

    record Case(String format, String data, String message) {
        @Override
        public String toString() {
            return format + " " + data;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("any", "5", "data must be a string or {\"format\": ..., \"value\": ...}"),
                new Case("any", "{\"value\":\"x\"}", "data.format is missing"),
                new Case("any", "{\"format\":\"string\"}", "data.value is missing"),
                new Case("any", "{\"format\":7,\"value\":\"x\"}", "data.format must be a string"),
                new Case("any", "{\"format\":\"nope\",\"value\":\"x\"}",
                        "data.format 'nope' is not one of string, base64, hex, admin, vlist, site, key"),

                new Case("string", "{\"format\":\"string\",\"value\":5}", "data.value must be a string"),
                new Case("string", "{\"format\":\"string\",\"value\":{\"a\":1}}", "data.value must be a string"),

                new Case("base64", "{\"format\":\"base64\",\"value\":\"a b\"}",
                        "data.value is not base64: Illegal base64 character 20"),
                new Case("base64", "{\"format\":\"base64\",\"value\":\"abcde\"}",
                        "data.value is not base64: Last unit does not have enough valid bits"),
                new Case("base64", "{\"format\":\"base64\",\"value\":[]}", "data.value must be a string"),

                new Case("hex", "{\"format\":\"hex\",\"value\":\"abc\"}",
                        "data.value is not hex: string length not even: 3"),
                new Case("hex", "{\"format\":\"hex\",\"value\":\"zz\"}",
                        "data.value is not hex: not a hexadecimal digit: \"z\" = 122"),
                new Case("hex", "{\"format\":\"hex\",\"value\":null}", "data.value must be a string"),

                new Case("admin", "{\"format\":\"admin\",\"value\":\"x\"}", "data.value must be an object"),
                new Case("admin", "{\"format\":\"admin\",\"value\":{}}", "data.value.handle is missing"),
                new Case("admin", "{\"format\":\"admin\",\"value\":{\"handle\":\"0.NA/1\",\"permissions\":\"*\"}}",
                        "data.value.index is missing"),
                new Case("admin", "{\"format\":\"admin\",\"value\":{\"handle\":\"0.NA/1\",\"index\":300}}",
                        "data.value.permissions is missing"),
                new Case("admin", "{\"format\":\"admin\",\"value\":{\"handle\":\"\",\"index\":300,\"permissions\":\"*\"}}",
                        "data.value.handle must be a non-empty handle"),
                new Case("admin", "{\"format\":\"admin\",\"value\":{\"handle\":\"0.NA/1\",\"index\":\"300\","
                        + "\"permissions\":\"*\"}}", "data.value.index must be a 32-bit integer"),
                new Case("admin", "{\"format\":\"admin\",\"value\":{\"handle\":\"0.NA/1\",\"index\":300,"
                        + "\"permissions\":\"11\"}}", "data.value.permissions must be 12 characters of 0/1 or \"*\", got '11'"),
                new Case("admin", "{\"format\":\"admin\",\"value\":{\"handle\":\"0.NA/1\",\"index\":300,"
                        + "\"permissions\":4096}}", "data.value.permissions must be an integer from 0 to 4095, got 4096"),
                new Case("admin", "{\"format\":\"admin\",\"value\":{\"handle\":\"0.NA/1\",\"index\":300,"
                        + "\"permissions\":[true,1.5]}}", "data.value.permissions[1] must be 12 characters of 0/1, \"*\", "
                        + "a boolean, a number or an array of these"),
                // A "value" before its "format" is read afterwards, and still named by its path.
                new Case("admin", "{\"value\":{\"handle\":\"0.NA/1\",\"index\":300,\"permissions\":\"2\"},"
                        + "\"format\":\"admin\"}", "data.value.permissions must be 12 characters of 0/1 or \"*\", got '2'"),

                new Case("vlist", "{\"format\":\"vlist\",\"value\":{}}", "data.value must be an array"),
                new Case("vlist", "{\"format\":\"vlist\",\"value\":[1]}", "data.value[0] must be an object"),
                new Case("vlist", "{\"format\":\"vlist\",\"value\":[{\"handle\":\"0.NA/1\",\"index\":1},"
                        + "{\"handle\":\"0.NA/1\"}]}", "data.value[1].index is missing"),
                new Case("vlist", "{\"format\":\"vlist\",\"value\":[{\"index\":1}]}", "data.value[0].handle is missing"),
                new Case("vlist", "{\"format\":\"vlist\",\"value\":[{\"handle\":\"0.NA/1\",\"index\":2147483648}]}",
                        "data.value[0].index must be a 32-bit integer, got 2147483648"),

                new Case("site", "{\"format\":\"site\",\"value\":[]}", "data.value must be an object"),
                new Case("site", "{\"format\":\"site\",\"value\":{}}", "data.value.version is missing"),
                new Case("site", site(",\"version\":70000", ""),
                        "data.value.version must be an integer from 0 to 65535, got 70000"),
                new Case("site", site(",\"protocolVersion\":\"2\"", ""),
                        "data.value.protocolVersion must be \"major.minor\", each from 0 to 255, like \"2.11\", got '2'"),
                new Case("site", site(",\"serialNumber\":-1", ""),
                        "data.value.serialNumber must be an integer from 0 to 65535, got -1"),
                new Case("site", site(",\"primarySite\":\"yes\"", ""), "data.value.primarySite must be true or false"),
                new Case("site", site(",\"hashOption\":256", ""),
                        "data.value.hashOption must be an integer from 0 to 255, got 256"),
                new Case("site", site(",\"attributes\":[{\"name\":\"desc\"}]", ""),
                        "data.value.attributes[0].value is missing"),
                new Case("site", site("", "{\"serverId\":1,\"address\":\"example.com\",\"interfaces\":[]}"),
                        "data.value.servers[0].address must be an IPv4 or IPv6 address, got 'example.com'"),
                new Case("site", site("", SERVER + ",{\"address\":\"::1\",\"interfaces\":[]}"),
                        "data.value.servers[1].serverId is missing"),
                new Case("site", site("", SERVER.replace("[]", "[{\"query\":true,\"admin\":false,\"protocol\":\"FTP\","
                        + "\"port\":21}]")), "data.value.servers[0].interfaces[0].protocol must be UDP, TCP, HTTP or "
                        + "HTTPS, got 'FTP'"),
                new Case("site", site("", SERVER.replace("[]", "[{\"query\":true,\"admin\":false,\"protocol\":\"TCP\","
                        + "\"port\":65536}]")), "data.value.servers[0].interfaces[0].port must be an integer from 0 to "
                        + "65535, got 65536"),
                new Case("site", site("", SERVER.replace("[]", "[{\"query\":true,\"protocol\":\"TCP\",\"port\":1}]")),
                        "data.value.servers[0].interfaces[0].admin is missing"),
                new Case("site", site("", SERVER.replace("\"interfaces\"", "\"publicKey\":{\"format\":\"string\","
                        + "\"value\":\"x\"},\"interfaces\"")), "data.value.servers[0].publicKey.format 'string' is not "
                        + "one of key, base64"),
                new Case("site", site("", SERVER.replace("\"interfaces\"", "\"publicKey\":{\"format\":\"key\","
                        + "\"value\":{\"kty\":\"RSA\",\"e\":\"AQAB\"}},\"interfaces\"")),
                        "data.value.servers[0].publicKey.value JWK member \"n\" missing"),

                new Case("key", "{\"format\":\"key\",\"value\":\"x\"}", "data.value must be an object"),
                new Case("key", "{\"format\":\"key\",\"value\":{\"kty\":\"EC\"}}",
                        "data.value JWK crv missing (\"P-256\" expected)"),
                new Case("key", "{\"format\":\"key\",\"value\":{\"kty\":\"RSV\"}}",
                        "data.value JWK kty \"RSV\" (RSA, DSA, EC, OKP or SM2 expected)"),
                new Case("key", "{\"format\":\"key\",\"value\":{\"kty\":\"RSA\",\"n\":\"!!\",\"e\":\"AQAB\"}}",
                        "data.value JWK member \"n\" is not base64url"),
                new Case("key", "{\"format\":\"key\",\"value\":{\"kty\":\"RSA\",\"n\":5,\"e\":\"AQAB\"}}",
                        "data.value.n must be a string"),
                new Case("key", "{\"format\":\"key\",\"value\":{\"kty\":\"RSA\",\"n\":\"" + RSA_N + "\",\"e\":\"AA\"}}",
                        "data.value JWK member \"e\" is zero"));
    }

    /** A valid site's JSON with these servers, then {@code members} (a later member of the same name wins). */
    private static String site(String members, String servers) {
        return "{\"format\":\"site\",\"value\":{\"version\":1,\"protocolVersion\":\"2.11\",\"serialNumber\":1,"
                + "\"primarySite\":true,\"multiPrimary\":false,\"attributes\":[],\"servers\":[" + servers + "]"
                + members + "}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedDataNamesTheMemberAtFault(Case c) {
        String value = "{\"index\":1,\"type\":\"T\",\"data\":" + c.data + "}";
        assertThatThrownBy(() -> RecordJsonReader.STANDARD.readValue(value, 0)).isInstanceOf(JsonFormatException.class)
                .hasMessage(c.message);
    }

    @Test
    void theSiteTheCasesBreakIsValid() throws JsonFormatException {
        String value = "{\"index\":1,\"type\":\"HS_SITE\",\"data\":" + site("", SERVER) + "}";
        assertThat(DataFormats.SITE.decode(RecordJsonReader.STANDARD.readValue(value, 0).data()).servers())
                .singleElement().satisfies(s -> assertThat(s.publicKey()).isEmpty());
    }

    @Test
    void everyFormatHasMalformedCases() {
        Set<String> covered = cases().stream().map(Case::format).collect(Collectors.toSet());
        assertThat(covered).containsAll(List.of("string", "base64", "hex", "admin", "vlist", "site", "key"));
    }
}
