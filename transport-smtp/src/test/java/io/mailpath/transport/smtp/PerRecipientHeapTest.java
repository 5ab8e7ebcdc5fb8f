package io.mailpath.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A message sent once per recipient holds one recipient's MIME message at a time: {@link PerRecipientHeapMain}, in a
 * JVM of its own whose heap is far smaller than all the recipients' messages together, must deliver every one.
 */
@Tag("slow")
class PerRecipientHeapTest {
    /**
     * The child's heap. Rendering every recipient's message before sending the first needs more than 100 MB here and
     * runs out of it; one at a time, the child also completes with 24 MB.
     */
    static final String HEAP = "-Xmx64m";
    /** 100 recipients of a 1 MB body. */
    static final int RECIPIENTS = 100;

    static final int BODY_BYTES = 1024 * 1024;

    @Test
    void manyRecipientsOfALargeMessageFitInASmallHeap() throws Exception {
        // Surefire may start the test JVM through a manifest-only jar; it names the real class path here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(
                        java.toString(),
                        HEAP,
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        classPath,
                        PerRecipientHeapMain.class.getName(),
                        String.valueOf(RECIPIENTS),
                        String.valueOf(BODY_BYTES)))
                .redirectErrorStream(true)
                .start();
        child.getOutputStream().close();
        boolean ended = child.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(ended).as("the child ended in time; its output:%n%s", output).isTrue();
        // 3 is -XX:+ExitOnOutOfMemoryError's exit code.
        assertThat(child.exitValue())
                .as(
                        "exit code of the child (%s, %d recipients of %d bytes); its output:%n%s",
                        HEAP, RECIPIENTS, BODY_BYTES, output)
                .isZero();
        assertThat(output).contains("server accepted " + RECIPIENTS + " for " + RECIPIENTS + " recipients");
        System.out.println(output.strip());
    }
}
