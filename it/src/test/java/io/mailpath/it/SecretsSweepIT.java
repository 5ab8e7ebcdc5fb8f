package io.mailpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.testing.peers.TestSmtpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * After the suite (it runs last, in alphabetical order), no log the server wrote holds the API keys (the shared one and
 * the streams') or the SMTP password the deployments used, nor the webhook receiver's password: not in messages, not in exception traces, not in
 * first-failure data.
 */
class SecretsSweepIT {
    @Test
    void noServerLogHoldsTheApiKeyOrTheSmtpPassword() throws IOException {
        Path log = Path.of(Objects.requireNonNull(System.getProperty("it.server.log"), "it.server.log"));
        Path folder = log.getParent();
        List<Path> read = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (Path f : logs(folder)) {
            String text;
            try {
                text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            } catch (NoSuchFileException gone) {
                // Removed between the listing and the read (a server JVM of the last deployment stopping): no log.
                continue;
            }
            read.add(f);
            for (String secret : List.of(
                    TestPeers.API_KEY,
                    NamedStreamsIT.TRANSACTIONAL_KEY,
                    NamedStreamsIT.MARKETING_KEY,
                    TestSmtpServer.PASSWORD,
                    DeliveryWebhooksIT.PASSWORD)) {
                if (text.contains(secret)) {
                    found.add(folder.relativize(f) + " holds " + secret.substring(0, 4) + "...");
                }
            }
        }
        System.out.println("Secrets sweep read " + read.size() + " log files under " + folder);
        assertThat(read).as("log files under " + folder).isNotEmpty();
        assertThat(found).isEmpty();
    }

    /**
     * The log files below a folder. A server's temporary runtime files (Payara Micro unpacks itself into micro-tmp and
     * removes it as it stops) are not logs, and a file that goes away while the folder is read is passed over.
     */
    private static List<Path> logs(Path folder) throws IOException {
        List<Path> logs = new ArrayList<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getFileName().toString().endsWith("-tmp")
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && isLog(file)) {
                    logs.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return logs;
    }

    /** Logs and first-failure data; not java.util.logging's lock files ({@code server.log.0.lck}), which hold nothing. */
    private static boolean isLog(Path f) {
        String name = f.getFileName().toString();
        if (name.endsWith(".lck")) {
            return false;
        }
        return name.contains(".log") || name.endsWith(".txt") || f.toString().contains("ffdc");
    }
}
