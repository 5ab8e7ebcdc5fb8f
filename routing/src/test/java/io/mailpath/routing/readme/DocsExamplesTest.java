package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs quote only code that compiles: every {@code ```java} block of {@code README.md} and of {@code docs/**.md}
 * must be, line for line, one marked example of a test source of the repository (the lines between
 * {@code // docs <name>: start} and {@code // docs <name>: end}, their common indentation removed), and every marked
 * example must be quoted somewhere, so that neither side drifts alone.
 */
class DocsExamplesTest {
    /** The repository's root: the tests run in the routing module's folder. */
    static final Path ROOT = Path.of("..");

    private static final Pattern START = Pattern.compile("\\s*// (docs [\\w -]+): start");
    private static final Set<String> NOT_SOURCES = Set.of("target", ".git", "node_modules");

    @Test
    void everyJavaBlockOfTheDocsIsAMarkedExample() throws IOException {
        Map<String, String> examples = examples();
        List<String> unknown = new ArrayList<>();
        for (Path doc : docs()) {
            for (CodeBlock block : javaBlocks(doc)) {
                if (!examples.containsValue(block.text())) {
                    unknown.add(ROOT.relativize(doc) + ":" + block.line());
                }
            }
        }
        assertThat(unknown)
                .as("```java blocks that are no marked example of a test source (copy the example from its test, or"
                        + " mark the block's code in a test as // docs <name>: start ... // docs <name>: end)")
                .isEmpty();
    }

    @Test
    void everyMarkedExampleIsQuoted() throws IOException {
        List<String> quoted = new ArrayList<>();
        for (Path doc : docs()) {
            javaBlocks(doc).forEach(block -> quoted.add(block.text()));
        }
        List<String> unquoted = examples().entrySet().stream()
                .filter(example -> !quoted.contains(example.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(unquoted)
                .as("marked examples no doc quotes as they are (update the doc, or remove the markers)")
                .isEmpty();
    }

    @Test
    void theDocsHaveJavaBlocksToCheck() throws IOException {
        assertThat(docs()).contains(ROOT.resolve("README.md"));
        assertThat(javaBlocks(ROOT.resolve("README.md"))).isNotEmpty();
        assertThat(examples()).containsKeys("docs quick-start", "docs errors", "docs test-kit example");
    }

    /** README.md and every Markdown file under docs/. */
    static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** A fenced block of a doc: its first line's number and its text, without the fence's indentation. */
    record CodeBlock(int line, String text) {}

    static List<CodeBlock> javaBlocks(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        List<CodeBlock> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i);
            if (!fence.strip().equals("```java")) {
                continue;
            }
            int indent = fence.length() - fence.stripLeading().length();
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            assertThat(end)
                    .as("an unclosed ```java block at " + doc + ":" + (i + 1))
                    .isLessThan(lines.size());
            String text = lines.subList(i + 1, end).stream()
                    .map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                    .collect(Collectors.joining("\n"));
            blocks.add(new CodeBlock(i + 1, text));
            i = end;
        }
        return blocks;
    }

    /** Every marked example of every test source of the repository, by marker. */
    static Map<String, String> examples() throws IOException {
        Map<String, String> examples = new LinkedHashMap<>();
        for (Path source : testSources()) {
            examples(source).forEach((marker, text) -> {
                assertThat(examples).as("marker '" + marker + "' used twice").doesNotContainKey(marker);
                examples.put(marker, text);
            });
        }
        return examples;
    }

    /** The Java files under any src/test/java of the repository, never looking into build output. */
    private static List<Path> testSources() throws IOException {
        List<Path> sources = new ArrayList<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                Path name = dir.getFileName();
                return name != null && NOT_SOURCES.contains(name.toString())
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (file.toString().endsWith(".java")
                        && ROOT.relativize(file).toString().contains("src/test/java/")) {
                    sources.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        sources.sort(null);
        return sources;
    }

    /** Every example in a source file, by marker, in the order they appear. */
    static Map<String, String> examples(Path source) {
        List<String> lines;
        try {
            lines = Files.readAllLines(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> examples = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher start = START.matcher(line);
            if (start.matches()) {
                examples.put(start.group(1), example(source, lines, start.group(1)));
            }
        }
        return examples;
    }

    /** The lines between the example's start and end markers, as one block of text without common indentation. */
    private static String example(Path source, List<String> lines, String marker) {
        int start = indexOf(lines, "// " + marker + ": start");
        int end = indexOf(lines, "// " + marker + ": end");
        assertThat(end).as("end marker of '" + marker + "' in " + source).isGreaterThan(start);
        List<String> example = lines.subList(start + 1, end);
        int indent = example.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return example.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }
}
