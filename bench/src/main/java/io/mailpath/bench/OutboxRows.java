package io.mailpath.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxSettings;
import io.mailpath.outbox.OutboxState;
import io.mailpath.outbox.cdi.OutboxConfiguration;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The outbox suite: how fast relays drain a backlog through the API transport to nginx, beside the direct {@code send}
 * rate at the same concurrency. Each round of a drain row enqueues a backlog (not timed), then tells its relays to
 * drain and times until every entry is {@code DELIVERED}. Each relay is a JVM of its own ({@link RelayJvm}), so two
 * relays stand for two servers on one PostgreSQL ({@code bench.postgresql}, a JDBC URL).
 */
final class OutboxRows {
    /** The outbox every relay of the suite drains: the defaults (batches of 20, a 5 minute lease). */
    static final OutboxSettings SETTINGS =
            OutboxSettings.builder().table("bench_outbox").build();

    private static final int DEFAULT_CONCURRENCY = OutboxConfiguration.DEFAULT_RELAY_CONCURRENCY;

    /** Entries each relay JVM drains before the rows run. */
    private static final long RELAY_WARM_UP = 5000;

    private OutboxRows() {}

    static void run() throws Exception {
        String nginx = Bench.property("bench.nginx");
        PeerCounter peer = PeerCounter.accessLog(Path.of(Bench.property("bench.nginx.log")));
        List<RelayProcess> relays = new ArrayList<>();
        try (HikariDataSource dataSource = dataSource(2);
                DirectTransport mailpath = Transports.create("api", Bench.apiConfig(nginx))) {
            MailOutbox outbox = new MailOutbox(dataSource, SETTINGS); // creates the table
            RelayProcess single = RelayProcess.start("relay-1x1", 1, relays);
            RelayProcess first = RelayProcess.start("relay-a", DEFAULT_CONCURRENCY, relays);
            RelayProcess second = RelayProcess.start("relay-b", DEFAULT_CONCURRENCY, relays);
            List<Row> rows = new ArrayList<>();
            for (int threads : new int[] {1, DEFAULT_CONCURRENCY}) {
                rows.add(Bench.mailpath(
                        "outbox.send." + threads,
                        "**Mailpath API** `send`, beside the outbox rows",
                        threads,
                        mailpath,
                        peer));
            }
            rows.add(new DrainRow(
                    "outbox.drain.1x1",
                    "outbox: one relay, concurrency 1, drains a backlog (API)",
                    dataSource,
                    outbox,
                    peer,
                    List.of(single)));
            rows.add(new DrainRow(
                    "outbox.drain.1x" + DEFAULT_CONCURRENCY,
                    "outbox: one relay, concurrency " + DEFAULT_CONCURRENCY + " (the default), drains a backlog (API)",
                    dataSource,
                    outbox,
                    peer,
                    List.of(first)));
            rows.add(new DrainRow(
                    "outbox.drain.2x" + DEFAULT_CONCURRENCY,
                    "outbox: two relays (two JVMs, one PostgreSQL), concurrency " + DEFAULT_CONCURRENCY
                            + " each, drain a backlog (API)",
                    dataSource,
                    outbox,
                    peer,
                    List.of(first, second)));
            // Each relay JVM alone drains a larger backlog first (not counted), so that every relay's code is
            // compiled alike before the rows' own warm-up round: the second relay takes part in one row only.
            for (RelayProcess relay : relays) {
                new DrainRow("warm-up", "", dataSource, outbox, peer, List.of(relay))
                        .drain(RELAY_WARM_UP, Duration.ofSeconds(10));
            }
            Runner.runAndRecord(rows);
        } finally {
            for (RelayProcess relay : relays) {
                relay.close();
            }
        }
    }

    /** PostgreSQL at {@code bench.postgresql} through a connection pool, as a server's data source is. */
    static HikariDataSource dataSource(int maxConnections) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(Bench.property("bench.postgresql"));
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(maxConnections);
        return new HikariDataSource(pool);
    }

    /**
     * One relay JVM, told what to do on its standard input. Its log goes to {@code bench.work}/NAME.err (bench/run.sh
     * keeps it in bench/target/peer-logs).
     */
    static final class RelayProcess implements AutoCloseable {
        private final Process process;
        private final Writer commands;
        private final BufferedReader answers;
        final int concurrency;

        private RelayProcess(Process process, int concurrency) {
            this.process = process;
            this.concurrency = concurrency;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static RelayProcess start(String name, int concurrency, List<RelayProcess> started) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:+UseParallelGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "-Dbench.postgresql=" + Bench.property("bench.postgresql"),
                    "-Dbench.nginx=" + Bench.property("bench.nginx")));
            String jfr = System.getProperty("bench.jfr");
            if (jfr != null) {
                // BENCH_JFR=1: each relay records a profile of its own beside the suite's.
                command.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr + "/" + name + ".jfr");
            }
            command.addAll(List.of(RelayJvm.class.getName(), String.valueOf(concurrency)));
            Process p = new ProcessBuilder(command)
                    .redirectError(
                            Path.of(Bench.property("bench.work"), name + ".err").toFile())
                    .start();
            RelayProcess relay = new RelayProcess(p, concurrency);
            started.add(relay);
            // The JVM may print a line of its own first (JFR's "Started recording").
            String line;
            do {
                line = relay.answers.readLine();
            } while (line != null && !line.equals("ready"));
            if (line == null) {
                throw new IOException("relay " + name + " did not start; see its .err log");
            }
            return relay;
        }

        void drain() throws IOException {
            commands.write("drain\n");
            commands.flush();
        }

        long cpuNanos() throws IOException {
            commands.write("cpu\n");
            commands.flush();
            return Long.parseLong(answers.readLine().trim());
        }

        @Override
        public void close() {
            try {
                commands.write("quit\n");
                commands.flush();
            } catch (IOException e) {
                // Gone already.
            }
            process.destroy();
        }
    }

    /**
     * A backlog drained by some relays: the backlog is sized from the row's last rate to last about the window; the
     * time runs from telling the relays to drain until no entry is left pending (polled every 10 ms). CPU is the
     * relays' JVMs' (not PostgreSQL's, not nginx's).
     */
    static final class DrainRow extends NamedRow {
        private static final int ENQUEUE_TRANSACTION = 500;

        private final DataSource dataSource;
        private final MailOutbox outbox;
        private final PeerCounter peer;
        private final List<RelayProcess> relays;
        /** The smallest backlog: enough that ramping up to every drain and the last batches' tail weigh little. */
        private static final long MIN_BACKLOG = 1000;

        private double lastRate = 300;

        DrainRow(
                String id,
                String label,
                DataSource dataSource,
                MailOutbox outbox,
                PeerCounter peer,
                List<RelayProcess> relays) {
            super(id, label, relays.stream().mapToInt(r -> r.concurrency).sum());
            this.dataSource = dataSource;
            this.outbox = outbox;
            this.peer = peer;
            this.relays = relays;
        }

        @Override
        public Measurement run(Duration window) throws Exception {
            return drain(Math.max(MIN_BACKLOG, Math.round(lastRate * window.toMillis() / 1000.0)), window);
        }

        /** Enqueues {@code count} entries, then times their drain. */
        Measurement drain(long count, Duration window) throws Exception {
            enqueue(count);
            long peerBefore = peer.count();
            long cpuBefore = cpu();
            long start = System.nanoTime();
            for (RelayProcess relay : relays) {
                relay.drain();
            }
            long limit =
                    start + Math.max(60_000_000_000L, window.multipliedBy(20).toNanos());
            long pending = count;
            while (pending > 0 && System.nanoTime() < limit) {
                Thread.sleep(10);
                pending = inState(OutboxState.PENDING);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = cpu() - cpuBefore;
            long delivered = inState(OutboxState.DELIVERED);
            long undelivered = count - delivered;
            lastRate = Math.max(delivered, 1) / seconds;
            long peerMessages = peer.settle(peerBefore + delivered) - peerBefore;
            return new Measurement(
                    delivered,
                    undelivered,
                    seconds,
                    null,
                    Double.NaN,
                    Double.NaN,
                    cpu,
                    peerMessages,
                    undelivered > 0
                            ? undelivered + " entries not delivered (dead, or pending at the time limit)"
                            : null);
        }

        /** Empties the table and enqueues the backlog, a few hundred entries per transaction. */
        private void enqueue(long count) throws SQLException {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("TRUNCATE " + SETTINGS.table());
                }
                c.setAutoCommit(false);
                for (long i = 0; i < count; i++) {
                    outbox.enqueue(c, Messages.mail());
                    if ((i + 1) % ENQUEUE_TRANSACTION == 0) {
                        c.commit();
                    }
                }
                c.commit();
                c.setAutoCommit(true);
            }
        }

        private long inState(OutboxState state) throws SQLException {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT COUNT(*) FROM " + SETTINGS.table() + " WHERE state = '" + state.name() + "'")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private long cpu() throws IOException {
            long sum = 0;
            for (RelayProcess relay : relays) {
                sum += relay.cpuNanos();
            }
            return sum;
        }
    }
}
