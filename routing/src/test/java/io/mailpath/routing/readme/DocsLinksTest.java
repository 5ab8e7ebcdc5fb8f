package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of {@code README.md}, {@code docs/**.md}, {@code RELIABILITY.md} and {@code BENCHMARKS.md}
 * leads somewhere: to a file of the repository and, with a {@code #fragment} into a Markdown file, to one of its
 * headings (as GitHub names them). Links with a scheme ({@code https:}, {@code mailto:}) are not followed.
 */
class DocsLinksTest {
    /** {@code [text](target)}; the target ends at the first space or closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : linkingDocs()) {
            List<String> lines = Files.readAllLines(doc);
            boolean inCode = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.strip().startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                if (inCode) {
                    continue;
                }
                Matcher link = LINK.matcher(line);
                while (link.find()) {
                    String problem = problem(doc, link.group(1));
                    if (problem != null) {
                        broken.add(DocsExamplesTest.ROOT.relativize(doc) + ":" + (i + 1) + " " + link.group(1) + ": "
                                + problem);
                    }
                }
            }
        }
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    @Test
    void headingsAreNamedAsGitHubNamesThem() {
        assertThat(anchor("Failover and errors")).isEqualTo("failover-and-errors");
        assertThat(anchor("The errors: `MailException`")).isEqualTo("the-errors-mailexception");
        assertThat(anchor("Open Liberty 26.0.0.3")).isEqualTo("open-liberty-26003");
        assertThat(anchor("Upgrading from 0.1.0")).isEqualTo("upgrading-from-010");
    }

    private static List<Path> linkingDocs() throws IOException {
        List<Path> docs = new ArrayList<>(DocsExamplesTest.docs());
        docs.add(DocsExamplesTest.ROOT.resolve("RELIABILITY.md"));
        docs.add(DocsExamplesTest.ROOT.resolve("BENCHMARKS.md"));
        return docs;
    }

    /** What is wrong with a link from a doc, or null when it resolves. */
    private static String problem(Path doc, String target) throws IOException {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (fragment != null
                && resolved.toString().endsWith(".md")
                && !anchors(resolved).contains(fragment)) {
            return "no heading '" + fragment + "' in " + resolved.getFileName();
        }
        return null;
    }

    /** The anchors of a Markdown file's headings; a repeated heading's gets -1, -2, ... as on GitHub. */
    private static Set<String> anchors(Path markdown) throws IOException {
        Set<String> anchors = new HashSet<>();
        boolean inCode = false;
        for (String line : Files.readAllLines(markdown)) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
            }
            if (!inCode && line.startsWith("#")) {
                String anchor = anchor(line.replaceFirst("^#+\\s*", ""));
                String unique = anchor;
                for (int n = 1; !anchors.add(unique); n++) {
                    unique = anchor + "-" + n;
                }
            }
        }
        return anchors;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        return heading.strip()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }
}
