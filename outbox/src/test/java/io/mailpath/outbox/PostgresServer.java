package io.mailpath.outbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for the tests, from the machine's packages (Debian's {@code postgresql}): created with
 * {@code initdb} under {@code target/postgresql}, started with {@code pg_ctl} on a free loopback port, once per test
 * run, and stopped when the run ends (JUnit closes the root store's resources, failed runs included; a shutdown hook
 * covers a JVM that stops otherwise). PostgreSQL refuses to run as root, so as root the commands run as the
 * {@code postgres} user. The binaries are those of {@code -Dmailpath.test.postgresql.bin}, or the newest under
 * {@code /usr/lib/postgresql}; without them the tests fail, naming the package to install.
 */
final class PostgresServer implements ExtensionContext.Store.CloseableResource {
    private static final long TIMEOUT_SECONDS = 300;

    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private boolean stopped;

    private PostgresServer(Path bin, Path base, int port) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    }

    /** The server of this test run, started by the first test that asks. */
    static PostgresServer of(ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(PostgresServer.class, k -> start(), PostgresServer.class);
    }

    private static PostgresServer start() {
        try {
            PostgresServer server = new PostgresServer(
                    binaries(), Path.of("target", "postgresql").toAbsolutePath(), freePort());
            server.initAndStart();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgresql-stop"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL for the outbox tests: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
    }

    private static Path binaries() throws IOException {
        String configured = System.getProperty("mailpath.test.postgresql.bin");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(b -> majorVersion(b.getParent())));
                if (newest.isPresent()) {
                    return newest.get();
                }
            }
        }
        throw new IOException("no PostgreSQL server binaries under /usr/lib/postgresql: install Debian's postgresql"
                + " package (apt-get install postgresql), or point -Dmailpath.test.postgresql.bin at a bin directory");
    }

    private static int majorVersion(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void initAndStart() throws IOException, InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            // Left running by a run whose JVM was killed: stop it before its directory goes.
            run(false, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
        }
        deleteTree(base);
        Files.createDirectories(base);
        if (asPostgresUser) {
            exec(List.of("chown", "-R", "postgres:", base.toString()), true);
        }
        run(
                true,
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync");
        // Loopback only, the socket in our own directory; fsync off because a test database need not survive a power
        // cut, and the machine is shared.
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + base
                + " -c fsync=off -c max_connections=50";
        run(
                true,
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                base.resolve("server.log").toString(),
                "-o",
                options,
                "-w",
                "-t",
                String.valueOf(TIMEOUT_SECONDS),
                "start");
    }

    /** A data source on the server's {@code postgres} database. */
    DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName("postgres");
        ds.setUser("postgres");
        return ds;
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            run(false, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
        } catch (IOException e) {
            System.err.println("PostgreSQL did not stop: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(boolean mustSucceed, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        exec(full, mustSucceed);
    }

    private void exec(List<String> command, boolean mustSucceed) throws IOException, InterruptedException {
        Path output = Files.createTempFile("mailpath-postgresql", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0 && mustSucceed) {
                String log =
                        Files.exists(base.resolve("server.log")) ? Files.readString(base.resolve("server.log")) : "";
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(output) + log);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
