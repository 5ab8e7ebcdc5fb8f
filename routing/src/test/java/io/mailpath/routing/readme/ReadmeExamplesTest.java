package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README quotes code that compiles and passes: each example there must match its test here, line for line. */
class ReadmeExamplesTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path HERE = Path.of("src", "test", "java", "io", "mailpath", "routing", "readme");

    @Test
    void theTestKitExampleIsOrderMailTest() throws IOException {
        assertThat(readme()).contains(example(HERE.resolve("OrderMailTest.java"), "README test-kit example"));
    }

    /** The lines between the example's start and end markers, as one block of text. */
    static String example(Path source, String marker) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int start = lines.indexOf("// " + marker + ": start");
        int end = lines.indexOf("// " + marker + ": end");
        assertThat(start).as("start marker in " + source).isNotNegative();
        assertThat(end).as("end marker in " + source).isGreaterThan(start);
        return String.join("\n", lines.subList(start + 1, end));
    }

    static String readme() throws IOException {
        return Files.readString(README);
    }
}
