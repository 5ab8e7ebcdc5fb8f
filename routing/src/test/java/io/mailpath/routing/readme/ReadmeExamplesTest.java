package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README quotes code that compiles and passes: each example there must match its test here, line for line (the
 * example's common indentation removed).
 */
class ReadmeExamplesTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path HERE = Path.of("src", "test", "java", "io", "mailpath", "routing", "readme");
    private static final Pattern START = Pattern.compile("\\s*// (README [\\w -]+): start");

    @Test
    void theTestKitExampleIsOrderMailTest() throws IOException {
        assertThat(readme()).contains(example(HERE.resolve("OrderMailTest.java"), "README test-kit example"));
    }

    @Test
    void theApiAtAGlanceExamplesAreApiAtAGlanceTest() throws IOException {
        Map<String, String> examples = examples(HERE.resolve("ApiAtAGlanceTest.java"));
        assertThat(examples.keySet())
                .containsExactly(
                        "README api-glance inject",
                        "README api-glance addresses",
                        "README api-glance content",
                        "README api-glance template",
                        "README api-glance attachments",
                        "README api-glance tracking",
                        "README api-glance metadata",
                        "README api-glance id",
                        "README api-glance receipt",
                        "README api-glance errors");
        String readme = readme();
        examples.forEach((marker, example) -> assertThat(readme).as(marker).contains("```java\n" + example + "\n```"));
    }

    @Test
    void theOutboxExampleIsTheOutboxModulesTest() throws IOException {
        Path source = Path.of("..", "outbox", "src", "test", "java", "io", "mailpath", "outbox")
                .resolve("OutboxReadmeExampleTest.java");
        assertThat(readme()).contains("```java\n" + example(source, "README outbox example") + "\n```");
        Path container = Path.of("..", "outbox", "src", "test", "java", "io", "mailpath", "outbox", "readme")
                .resolve("OrderService.java");
        assertThat(readme()).contains("```java\n" + example(container, "README outbox inject") + "\n```");
    }

    /** Every example in a source file, by marker, in the order they appear. */
    static Map<String, String> examples(Path source) throws IOException {
        Map<String, String> examples = new LinkedHashMap<>();
        for (String line : Files.readAllLines(source)) {
            Matcher start = START.matcher(line);
            if (start.matches()) {
                examples.put(start.group(1), example(source, start.group(1)));
            }
        }
        return examples;
    }

    /** The lines between the example's start and end markers, as one block of text without common indentation. */
    static String example(Path source, String marker) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int start = indexOf(lines, "// " + marker + ": start");
        int end = indexOf(lines, "// " + marker + ": end");
        assertThat(start).as("start marker in " + source).isNotNegative();
        assertThat(end).as("end marker in " + source).isGreaterThan(start);
        List<String> example = lines.subList(start + 1, end);
        int indent = example.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return String.join(
                "\n",
                example.stream()
                        .map(l -> l.isBlank() ? "" : l.substring(indent))
                        .toList());
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }

    static String readme() throws IOException {
        return Files.readString(README);
    }
}
