package io.mailpath.testing.peers;

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
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for an application's own tests, from the machine's packages (Debian's {@code postgresql}):
 * created with {@code initdb} in a directory the caller chooses, started with {@code pg_ctl} on a free loopback port,
 * and stopped by {@link #close()} (a shutdown hook also stops it when the JVM ends otherwise). It needs no JDBC driver
 * here: a test builds its own {@code DataSource} from {@link #jdbcUrl()} (or {@link #host()}, {@link #port()},
 * {@link #database()} and {@link #user()}; authentication is {@code trust}, so no password).
 *
 * <p>Plain code starts and stops one itself:
 *
 * <pre>
 * try (PostgresServer db = PostgresServer.start(Path.of("target", "postgresql"))) {
 *     PGSimpleDataSource ds = new PGSimpleDataSource();
 *     ds.setUrl(db.jdbcUrl());
 *     ds.setUser(db.user());
 *     ...
 * }
 * </pre>
 *
 * <p>A JUnit 5 test shares one server across the whole test run with {@link #of(ExtensionContext)} (data under
 * {@code target/postgresql}), stopped when the run ends, failed runs included:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final BeforeAllCallback DATABASE = context -&gt; url = PostgresServer.of(context).jdbcUrl();
 * </pre>
 *
 * <p>PostgreSQL refuses to run as root, so as root the commands run as the {@code postgres} user (which the package
 * creates), and the directory is handed to it. The binaries are those of {@code -Dmailpath.test.postgresql.bin}, or
 * the newest under {@code /usr/lib/postgresql}; without them {@link #start(Path)} fails, naming the package to install.
 * The server listens on 127.0.0.1 only, with {@code fsync} off: a test database need not survive a power cut.
 */
public final class PostgresServer implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    /** The database every server has, and the one {@link #jdbcUrl()} names. */
    public static final String DATABASE = "postgres";

    /** The superuser {@code initdb} creates, authenticated by {@code trust}. */
    public static final String USER = "postgres";

    private static final long TIMEOUT_SECONDS = 300;
    private static final int MAX_CONNECTIONS = 100;

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

    /**
     * The server of this JUnit test run, started by the first test that asks, its data under
     * {@code target/postgresql} of the working directory, stopped when the run ends.
     *
     * @throws IllegalStateException when PostgreSQL cannot be started (the message says why)
     */
    public static PostgresServer of(ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(
                        PostgresServer.class, k -> start(Path.of("target", "postgresql")), PostgresServer.class);
    }

    /**
     * Creates a fresh server in {@code directory} (what an earlier start made there is deleted first, a server left
     * running there by a killed JVM stopped; a directory holding anything else is refused) and starts it on a free
     * loopback port.
     *
     * @throws IllegalStateException when PostgreSQL cannot be started (the message says why)
     */
    public static PostgresServer start(Path directory) {
        try {
            PostgresServer server = new PostgresServer(binaries(), directory.toAbsolutePath(), freePort());
            server.initAndStart();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgresql-stop"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL in " + directory + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + DATABASE;
    }

    /** The loopback address the server listens on, {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /** The database to connect to, {@value #DATABASE}. */
    public String database() {
        return DATABASE;
    }

    /** The user to connect as, {@value #USER}; no password. */
    public String user() {
        return USER;
    }

    /** The server's directory: {@code data} (the cluster) and {@code server.log}. */
    public Path directory() {
        return base;
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

    /**
     * The directory is emptied before each start: only one this class made before (or an empty one) may be, never a
     * directory that holds something else, such as a build's {@code target} itself.
     */
    private void refuseForeignDirectory() throws IOException {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> entries = Files.list(base)) {
            // What this class puts there: the data directory, the server's log, the socket and its lock.
            if (!entries.map(e -> e.getFileName().toString())
                    .allMatch(n -> n.equals("data") || n.equals("server.log") || n.startsWith(".s.PGSQL."))) {
                throw new IOException(base + " holds files that are not a PostgreSQL data directory this class made;"
                        + " give it a directory of its own (it is emptied at each start)");
            }
        }
    }

    private void initAndStart() throws IOException, InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            // Left running by a run whose JVM was killed: stop it before its directory goes.
            run(false, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
        }
        refuseForeignDirectory();
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
                USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync");
        // Loopback only, the socket in our own directory; fsync off because a test database need not survive a power
        // cut, and the machine is shared.
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + base
                + " -c fsync=off -c max_connections=" + MAX_CONNECTIONS;
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

    /** Stops the server (fast shutdown: open sessions are ended); a second call does nothing. */
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
