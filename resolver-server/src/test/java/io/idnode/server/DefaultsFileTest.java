package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults file is the one home of every default: the options of each command, the defaults its
 * {@code --help} shows and the option tables of README.md all agree with it, setting by setting.
 */
class DefaultsFileTest {
    private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();
    private static final Pattern ROW = Pattern.compile("^\\| `--([a-z0-9-]+)` \\| ([^|]*) \\|");
    private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");

    static CommandLine command(String name) {
        return Main.commandLine().getSubcommands().get(name);
    }

    /** The options of a command other than help and version. */
    static List<OptionSpec> options(CommandLine command) {
        return command.getCommandSpec().options().stream().filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
    }

    /** A command's options and their defaults in the file (empty: no default). */
    static Map<String, String> fileDefaults(String command) {
        Map<String, String> defaults = new TreeMap<>();
        for (OptionSpec option : options(command(command))) {
            defaults.put(option.longestName().substring(2), Main.defaultsKey(option).map(NodeDefaults::value)
                    .orElse("<not in " + NodeDefaults.RESOURCE + ">"));
        }
        return defaults;
    }

    /**
     * The option table under {@code heading}: option to default, the default being the first literal of its
     * cell ({@code `2641`}), or empty where the cell has none ("none", "the bind address").
     */
    static Map<String, String> readmeDefaults(String heading) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## " + heading + "\n");
        assertThat(start).as("README section %s", heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        Map<String, String> defaults = new TreeMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                Matcher literal = LITERAL.matcher(row.group(2));
                defaults.put(row.group(1), literal.find() ? literal.group(1) : "");
            }
        }
        return defaults;
    }

    @ParameterizedTest
    @CsvSource({"serve, Running a node", "import, Loading records offline", "backup, Backup and restore",
        "restore, Backup and restore"})
    void readmeTableListsEveryOptionWithTheDefaultOfTheFile(String command, String heading) throws IOException {
        assertThat(readmeDefaults(heading)).isEqualTo(fileDefaults(command));
    }

    @Test
    void everySettingOfTheFileIsTheDefaultOfAnOption() {
        Set<String> used = new TreeSet<>();
        for (String command : List.of("serve", "import", "backup", "restore")) {
            options(command(command)).forEach(o -> Main.defaultsKey(o).ifPresent(used::add));
        }
        assertThat(used).isEqualTo(new TreeSet<>(NodeDefaults.keys()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "import", "backup", "restore"})
    void helpShowsTheDefaultOfTheFileForEveryValuedOption(String name) {
        CommandLine command = command(name);
        command.setUsageHelpWidth(400).setUsageHelpLongOptionsMaxWidth(60); // one line per option
        StringWriter help = new StringWriter();
        command.usage(new PrintWriter(help));
        for (OptionSpec option : options(command)) {
            String value = fileDefaults(name).get(option.longestName().substring(2));
            String line = help.toString().lines().map(String::strip)
                    .filter(l -> l.startsWith(option.longestName() + "=") || l.startsWith(option.longestName() + " "))
                    .findFirst().orElseThrow();
            if (option.arity().max() == 0 || value.isEmpty()) {
                assertThat(line).as(option.longestName()).doesNotContain("Default:");
            } else {
                assertThat(line).as(option.longestName()).endsWith("Default: " + value);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "import", "backup", "restore"})
    void aCommandLineWithoutOptionsTakesTheDefaultsOfTheFile(String name) {
        CommandLine cl = Main.commandLine();
        cl.parseArgs(name.equals("serve") ? new String[] {name} : new String[] {name, "some-file"});
        for (OptionSpec option : options(cl.getSubcommands().get(name))) {
            Object parsed = option.getValue();
            String value = parsed instanceof List<?> list ? list.stream().map(String::valueOf).toList().toString()
                    : parsed == null ? "" : String.valueOf(parsed);
            String expected = fileDefaults(name).get(option.longestName().substring(2));
            assertThat(value).as(option.longestName()).isEqualTo(option.isMultiValue() && !expected.isEmpty()
                    ? List.of(expected).toString() : expected);
        }
    }
}
