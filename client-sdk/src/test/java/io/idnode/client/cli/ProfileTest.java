package io.idnode.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.model.ValueReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {

    @Test
    void relativePathsAreRelativeToTheProfileAndOptionsOverrideIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("p.properties"),
                "node = 127.0.0.1:2641\nidentity=300:88.100.1/LINE-1\nkey=keys/line1.pem\n");
        Profile p = Profile.read(file);
        assertThat(p).isEqualTo(new Profile("127.0.0.1:2641", null, "300:88.100.1/LINE-1",
                dir.toAbsolutePath().resolve("keys/line1.pem")));
        Profile o = p.overriddenBy(new Profile(null, dir.resolve("siteinfo.json"), "300:0.NA/88.100.1", null));
        assertThat(o).isEqualTo(new Profile("127.0.0.1:2641", dir.resolve("siteinfo.json"), "300:0.NA/88.100.1",
                p.key()));
        assertThat(o.identityReference()).isEqualTo(new ValueReference("0.NA/88.100.1", 300));
    }

    @Test
    void writesWhatItReads(@TempDir Path dir) throws Exception {
        Profile p = new Profile("[::1]:2641", dir.resolve("a b/site.bin"), "300:88.100.1/X", dir.resolve("k.pem"));
        Path file = dir.resolve("conf/idctl/profile.properties");
        p.write(file);
        assertThat(Profile.read(file)).isEqualTo(new Profile("[::1]:2641", dir.resolve("a b/site.bin").toAbsolutePath(),
                "300:88.100.1/X", dir.resolve("k.pem").toAbsolutePath()));
        assertThat(Profile.read(dir.resolve("none"))).isEqualTo(Profile.EMPTY);
    }

    @Test
    void identitiesAreIndexColonHandle() {
        assertThatThrownBy(() -> Profile.parseIdentity("88.100.1/LINE-1")).isInstanceOf(CommandFailure.class)
                .hasMessage("identity must be INDEX:HANDLE such as 300:88.100.1/LINE-1, was '88.100.1/LINE-1'");
        assertThatThrownBy(() -> Profile.EMPTY.identityReference()).hasMessageStartingWith("no identity: give --identity");
    }
}
