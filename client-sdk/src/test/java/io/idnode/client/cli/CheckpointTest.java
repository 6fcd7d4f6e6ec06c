package io.idnode.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.client.cli.ImportLedger.Failure;
import io.idnode.client.cli.ImportLedger.Tally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @Test
    void readsBackWhatItWroteAndKnowsItsFile(@TempDir Path dir) throws IOException {
        Path input = Files.writeString(dir.resolve("items.csv"), "handle,URL\n88.100.1/A,u\n");
        Tally tally = new Tally(1234, 1000, 200, 2, List.of(new Failure(17, "88.100.1/Q", "line\nbreak \\ and = sign"),
                new Failure(99, null, "has 2 fields, the header row has 3")));
        Path file = Checkpoint.defaultLocation(input);
        assertThat(file).isEqualTo(dir.resolve("items.csv.checkpoint"));
        Checkpoint.of(input, tally).write(file);
        Checkpoint read = Checkpoint.read(file);
        assertThat(read.tally()).isEqualTo(tally);
        assertThat(read.input()).isEqualTo(input.toAbsolutePath());
        assertThat(read.matches(input)).isTrue();
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("items.csv", "items.csv.checkpoint");

        Files.writeString(input, "handle,URL\n88.100.1/A,v\n");
        Files.setLastModifiedTime(input, FileTime.fromMillis(read.inputModifiedMillis() + 1000));
        assertThat(read.matches(input)).isFalse();
    }

    @Test
    void aDamagedCheckpointSaysToDeleteIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("x.checkpoint"), "file=/tmp/x\nsize=12\n");
        assertThatThrownBy(() -> Checkpoint.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + " is not a checkpoint of idctl import: no resume-line; delete it to import from the start");
    }
}
