package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The servers page ({@code docs/guides/servers.md}) says what CI proves: its matrix names the server versions the
 * builds fetch, and its Open Liberty feature lists are the integration suite's servers' lists. A server bumped in a
 * pom, or a feature added to a test server, without the page fails here.
 */
class ServersPageTest {
    private static final Path PAGE = DocsExamplesTest.ROOT.resolve("docs/guides/servers.md");

    /** Features only the tests need: the Arquillian container's connector and its support feature. */
    private static final Set<String> TEST_ONLY = Set.of("localConnector-1.0", "usr:arquillian-support-jakarta-2.1");

    private static final Pattern FEATURE = Pattern.compile("<feature>([^<]+)</feature>");

    @Test
    void theMatrixNamesTheServerVersionsTheBuildsFetch() throws IOException {
        String page = Files.readString(PAGE);
        List<String> versions = new ArrayList<>();
        for (String module : List.of("it", "cluster", "demo")) {
            versions.add("Open Liberty " + property(module, "version.openliberty"));
        }
        versions.add("WildFly " + property("it", "version.wildfly"));
        versions.add("WildFly Preview " + property("it", "version.wildfly.preview"));
        versions.add("Payara Micro " + property("it", "version.payara.micro"));
        versions.add("Payara Micro " + property("it", "version.payara7.micro"));
        String matrix = section(page, "## What CI proves");
        assertThat(versions).allSatisfy(version -> assertThat(matrix).contains("| " + version));
    }

    /**
     * The matrix's integration legs are the it module's failsafe executions, no more and no fewer, and a leg shows
     * Java 25 exactly when its execution takes a JDK from the toolchains: a leg dropped from the pom, or added to it,
     * without the page fails here.
     */
    @Test
    void theMatrixLegsAreTheIntegrationSuitesExecutions() throws IOException {
        String pom = Files.readString(DocsExamplesTest.ROOT.resolve("it/pom.xml"));
        Map<String, Boolean> executions = new TreeMap<>();
        Matcher execution = Pattern.compile(
                        "<execution>\\s*(?:<!--.*?-->\\s*)*<id>([^<]+)</id>(.*?)</execution>", Pattern.DOTALL)
                .matcher(pom);
        while (execution.find()) {
            if (execution.group(2).contains("<goal>integration-test</goal>")) {
                executions.put(execution.group(1), execution.group(2).contains("<jdkToolchain>"));
            }
        }
        Map<String, Boolean> legs = new TreeMap<>();
        Matcher row = Pattern.compile("^\\| `([\\w-]+)` \\|(.*)\\|$", Pattern.MULTILINE)
                .matcher(section(Files.readString(PAGE), "## What CI proves"));
        while (row.find()) {
            String[] cells = row.group(2).split("\\|");
            legs.put(row.group(1), cells[3].strip().equals("25"));
        }
        assertThat(executions).as("it/pom.xml's failsafe executions").hasSize(6);
        assertThat(legs)
                .as("the matrix's integration legs, and whether each runs on Java 25")
                .isEqualTo(executions);
    }

    @Test
    void theLibertyFeatureListsAreTheTestServersLists() throws IOException {
        List<Set<String>> onThePage = featureBlocks(section(Files.readString(PAGE), "## Open Liberty"));
        assertThat(onThePage)
                .as("the EE 10 and the EE 11 feature lists on the page")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(onThePage.get(0)).isEqualTo(serverFeatures("it/src/test/liberty/config/server.xml"));
        assertThat(onThePage.get(1)).isEqualTo(serverFeatures("it/src/test/liberty/ee11/server.xml"));
    }

    /** The features a test server enables, without those only the tests need. */
    private static Set<String> serverFeatures(String file) throws IOException {
        Set<String> features = features(Files.readString(DocsExamplesTest.ROOT.resolve(file)));
        features.removeAll(TEST_ONLY);
        assertThat(features).as(file).isNotEmpty();
        return features;
    }

    private static List<Set<String>> featureBlocks(String markdown) {
        List<Set<String>> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("<featureManager>(.*?)</featureManager>", Pattern.DOTALL)
                .matcher(markdown);
        while (block.find()) {
            blocks.add(features(block.group(1)));
        }
        return blocks;
    }

    private static Set<String> features(String xml) {
        Set<String> features = new TreeSet<>();
        Matcher feature = FEATURE.matcher(xml);
        while (feature.find()) {
            features.add(feature.group(1).strip());
        }
        return features;
    }

    /** The text from the heading to the next heading of the same level. */
    private static String section(String page, String heading) {
        int start = page.indexOf("\n" + heading + "\n");
        assertThat(start).as("the heading " + heading).isNotNegative();
        int end = page.indexOf("\n## ", start + heading.length() + 1);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    private static String property(String module, String name) throws IOException {
        String pom = Files.readString(DocsExamplesTest.ROOT.resolve(module).resolve("pom.xml"));
        Matcher value =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(value.find()).as(module + "/pom.xml's " + name).isTrue();
        return value.group(1).strip();
    }
}
