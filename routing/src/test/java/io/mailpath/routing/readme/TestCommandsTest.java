package io.mailpath.routing.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No command the docs or CI give lets a server leg pass having run no test: with failsafe's
 * {@code failIfNoSpecifiedTests} or {@code failIfNoTests} turned off, a misspelt {@code -Dit.test=} runs nothing on
 * every leg and the build still succeeds.
 */
class TestCommandsTest {
    private static final Pattern NO_TEST_IS_FINE =
            Pattern.compile("-D(failsafe\\.|it\\.)?failIfNo(Specified)?Tests=false");

    @Test
    void noDocumentedCommandLetsALegPassWithNoTestRun() throws IOException {
        List<Path> files = new ArrayList<>(DocsExamplesTest.docs());
        files.add(DocsExamplesTest.ROOT.resolve(".ci/run"));
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            Matcher m = NO_TEST_IS_FINE.matcher(Files.readString(file));
            while (m.find()) {
                found.add(DocsExamplesTest.ROOT.relativize(file) + ": " + m.group());
            }
        }
        assertThat(found).isEmpty();
    }
}
