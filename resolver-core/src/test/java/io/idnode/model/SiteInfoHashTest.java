package io.idnode.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server of a multi-server site that holds a handle (handle-protocol.md §7.2), against the library's choice. */
class SiteInfoHashTest {

    @Test
    void picksTheServerTheLibraryPicksForEveryHashOption() {
        JsonNode cases = Vectors.vector("site_hash_examples").path("cases");
        assertThat(cases.size()).isGreaterThanOrEqualTo(3);
        for (JsonNode c : cases) {
            String handle = c.path("handle").asText();
            int option = c.path("hashOption").asInt();
            for (int n = 2; n <= 3; n++) {
                JsonNode expected = c.path("server_index_of_" + n);
                if (!expected.isMissingNode()) {
                    assertThat(site(option, n).serverIndexFor(handle)).as(handle + " option " + option + " of " + n)
                            .isEqualTo(expected.asInt());
                }
            }
        }
    }

    @Test
    void aSiteOfOneServerAlwaysPicksIt() {
        assertThat(site(SiteInfo.HASH_BY_HANDLE, 1).serverIndexFor("88.100.1/ANY")).isZero();
    }

    @Test
    void hashesThePrefixCaseInsensitively() {
        SiteInfo site = site(SiteInfo.HASH_BY_PREFIX, 3);
        assertThat(site.serverIndexFor("88.100.1/A")).isEqualTo(site.serverIndexFor("88.100.1/b"));
        assertThat(site(SiteInfo.HASH_BY_HANDLE, 7).serverIndexFor("88.100.1/abc"))
                .isEqualTo(site(SiteInfo.HASH_BY_HANDLE, 7).serverIndexFor("88.100.1/ABC"));
    }

    private static SiteInfo site(int hashOption, int servers) {
        List<ServerInfo> list = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            list.add(new ServerInfo(i + 1, new byte[16], new byte[0], List.of()));
        }
        return new SiteInfo(1, 2, 11, 1, true, false, hashOption, "", List.of(), list);
    }
}
