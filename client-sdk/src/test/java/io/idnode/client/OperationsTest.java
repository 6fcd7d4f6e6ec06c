package io.idnode.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.SiteInfoCodec;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueReference;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.TestNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every operation of the client against a real node on loopback, as the node's administrator in a session. */
class OperationsTest {
    static final String PREFIX = "88.100.1";
    static final String ADMIN = "300:0.NA/" + PREFIX;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX))
            .admins(List.of(new ValueReference("0.NA/" + PREFIX, 300))));

    static HandleClient client;

    @BeforeAll
    static void connect() throws Exception {
        client = HandleClient.builder().node("127.0.0.1:" + NODE.port())
                .identity(Identity.fromPemFile(ADMIN, NODE.dataDir().resolve("keys/admin.pem"))).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void createsResolvesAndDeletes() throws Exception {
        BlockingHandleClient c = client.blocking();
        String h = PREFIX + "/OPS-1";
        CreateResult made = c.create(h, List.of(Values.url(1, "https://example.com/1"),
                Values.admin(100, ADMIN, AdminPermissions.ALL)));
        assertThat(made).isEqualTo(new CreateResult(h, true));
        Resolution r = c.resolve(h);
        assertThat(r.firstText("URL")).contains("https://example.com/1");
        assertThat(r.values()).extracting(HandleValue::index).containsExactlyInAnyOrder(1, 100);
        c.delete(h);
        assertThatThrownBy(() -> c.resolve(h)).isInstanceOf(ResponseException.class)
                .satisfies(e -> assertThat(((ResponseException) e).responseCode())
                        .isEqualTo(ResponseCode.HANDLE_NOT_FOUND));
    }

    @Test
    void siteInfoIsTheNodesSiteFile() throws Exception {
        SiteInfo site = client.blocking().siteInfo();
        assertThat(SiteInfoCodec.encode(site)).isEqualTo(Files.readAllBytes(NODE.dataDir().resolve("siteinfo.bin")));
    }
}
