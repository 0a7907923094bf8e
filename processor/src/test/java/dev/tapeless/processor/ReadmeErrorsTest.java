package dev.tapeless.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.processor.diagnostics.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Errors you may see" lists every message of the catalogue, in its order, as the
 * processor words it ({@code …} where the names of the user's code go). When the catalogue
 * changes, this test writes the list it expects next to the build output.
 */
class ReadmeErrorsTest {
    static final String HEADING = "## Errors you may see";
    private static final Pattern CHOICE = Pattern.compile("\\{\\d+,choice,(?:[^{}]|\\{\\d+\\})*\\}");
    private static final Pattern ARGUMENT = Pattern.compile("\\{\\d+\\}");

    /** A message as the README shows it: the pattern, unquoted, with {@code …} for its arguments. */
    static String rendered(Message m) {
        String text = m.pattern().replace("''", "'");
        Matcher choice = CHOICE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (choice.find()) {
            String options = choice.group().substring(choice.group().indexOf(",choice,") + ",choice,".length(),
                    choice.group().length() - 1);
            String last = options.substring(options.lastIndexOf('|') + 1).replaceFirst("^[^#<]*[#<]", "");
            choice.appendReplacement(out, Matcher.quoteReplacement(last));
        }
        choice.appendTail(out);
        return ARGUMENT.matcher(out).replaceAll("…");
    }

    static List<String> expectedLines() {
        List<String> lines = new ArrayList<>();
        for (Message m : Message.values()) lines.add("- `" + m.name() + "`: " + rendered(m));
        return lines;
    }

    @Test
    void theReadmeListsEveryMessageAsTheCatalogueWordsIt() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int start = readme.indexOf(HEADING);
        assertTrue(start >= 0, "README.md has no section '" + HEADING + "'");
        List<String> listed = new ArrayList<>();
        for (int i = start + 1; i < readme.size() && !readme.get(i).startsWith("## "); i++) {
            if (readme.get(i).startsWith("- `")) listed.add(readme.get(i));
        }
        List<String> expected = expectedLines();
        if (!expected.equals(listed)) {
            Path actual = Path.of("target", "readme-errors.md");
            Files.createDirectories(actual.getParent());
            Files.writeString(actual, String.join("\n", expected) + "\n");
            assertEquals(String.join("\n", expected), String.join("\n", listed),
                    "README's error list differs from the catalogue; if the catalogue is right, replace the list in "
                            + HEADING + " with " + actual.toAbsolutePath());
        }
    }

    @Test
    void renderingShowsPlaceholdersAndQuotes() {
        assertEquals("… takes … arguments", rendered(Message.MATH_ARITY));
        assertEquals("wrt names '…' twice; name each parameter once", rendered(Message.WRT_DUPLICATE));
    }
}
