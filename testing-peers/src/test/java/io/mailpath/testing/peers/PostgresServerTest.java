package io.mailpath.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit's PostgreSQL starts where it is told, and never empties a directory that holds something else. */
@Tag("slow")
class PostgresServerTest {

    @Test
    void startsOnLoopbackInItsDirectoryAndStartsAgainThere() throws IOException {
        // Under target, not a temporary directory: the postgres user must be able to reach it when run as root.
        Path base = Path.of("target", "postgres-server-test");
        try (PostgresServer server = PostgresServer.start(base)) {
            assertThat(server.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:" + server.port() + "/");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(server.host(), server.port()), 30_000);
            }
        }
        // What the first start made is emptied and made again by the next.
        PostgresServer.start(base).close();
    }

    @Test
    void refusesADirectoryHoldingSomethingElse(@TempDir Path dir) throws IOException {
        Path build = Files.createDirectories(dir.resolve("target"));
        Path classes = Files.writeString(
                Files.createDirectories(build.resolve("classes")).resolve("App.class"), "x");

        assertThatThrownBy(() -> PostgresServer.start(build))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a PostgreSQL data directory");
        assertThat(classes).exists();
    }
}
