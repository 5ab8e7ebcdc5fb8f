package io.mailpath.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.cluster.app.OutboxResource;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxSettings;
import io.mailpath.testing.peers.PostgresServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Calendar;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two Open Liberty servers, each running the same application with {@code @Inject MailOutbox} on one PostgreSQL (a
 * {@code <dataSource>} in each server.xml), each sending through its own API stand-in in this JVM, so that the
 * stand-ins say which server sent what.
 *
 * <p>First the container scenarios through server A's endpoint, its relay's tick an hour away (so a delivery seen was
 * asked for by the commit): commit, rollback, and an entry the API rejects. Then the cluster, both relays ticking every
 * second: 10,000 messages enqueued, server A killed with SIGKILL when about a third are delivered, server B finishing,
 * taking over A's claims once their lease (20 s here) runs out. The test owns both server processes and stops them when
 * it ends, failed or not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    static final int MESSAGES = 10_000;
    /** Delivered (answered by the stand-ins) when server A is killed. */
    static final int KILL_AT = MESSAGES * 35 / 100;
    /**
     * Short, so that a killed server's claims are taken over within the test; still far longer than a send, even on a
     * busy machine.
     */
    static final Duration LEASE = Duration.ofSeconds(20);
    /**
     * How long before a lease runs out a change to its rows still counts as its owner's: the servers and this test
     * read the same machine's clock, so this only covers the time a look at the table takes.
     */
    private static final Duration OWNER_ONLY_MARGIN = Duration.ofSeconds(1);

    /** Each stand-in answers after this long, so that sends are in flight when the kill comes. */
    static final int API_DELAY_MS = 5;

    static final Duration SCENARIO_DEADLINE = Duration.ofMinutes(2);
    static final Duration DRAIN_DEADLINE = Duration.ofMinutes(10);
    static final String TABLE = OutboxSettings.DEFAULT_TABLE;
    static final String SCENARIO_TICK_MS = "3600000";
    static final String CLUSTER_TICK_MS = "1000";

    static PostgresServer database;
    static PGSimpleDataSource dataSource;
    static ApiStandIn apiA;
    static ApiStandIn apiB;
    static LibertyServer serverA;
    static LibertyServer serverB;
    static final Thread STOP_ALL = new Thread(ClusterIT::stopAll, "cluster-stop");
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startDatabaseStandInsAndServerA() throws Exception {
        Runtime.getRuntime().addShutdownHook(STOP_ALL);
        database = PostgresServer.start(Path.of("target", "postgresql"));
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(database.jdbcUrl());
        dataSource.setUser(database.user());
        apiA = new ApiStandIn(API_DELAY_MS);
        apiB = new ApiStandIn(API_DELAY_MS);

        Path wlp = Path.of(System.getProperty("cluster.wlp.home"));
        Path logs = Path.of("target", "cluster-logs").toAbsolutePath();
        Map<String, String> bootstrap = Map.of(
                "postgresql.port", String.valueOf(database.port()),
                "postgresql.lib.dir", System.getProperty("cluster.postgresql.lib.dir"),
                "cluster.war", System.getProperty("cluster.war"));
        Path serverXml = Path.of(System.getProperty("cluster.server.xml"));
        serverA = new LibertyServer(wlp, "cluster-a", freePort(), logs);
        serverB = new LibertyServer(wlp, "cluster-b", freePort(), logs);
        serverA.create(serverXml, bootstrap);
        serverB.create(serverXml, bootstrap);
        serverA.start(config(apiA, SCENARIO_TICK_MS));
    }

    @AfterAll
    static void stopEverything() {
        stopAll();
        Runtime.getRuntime().removeShutdownHook(STOP_ALL);
    }

    private static synchronized void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {serverA, serverB, apiA, apiB, database}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("Could not stop " + c + ": " + e);
            }
        }
    }

    /**
     * A server's MicroProfile Config from its environment: its own stand-in, its relay's tick, the lease, and a routed
     * send short enough for that lease (the deployment checks that the lease outlasts the longest send by 5 s at least:
     * here one try of 7 s, a rate-limit wait of 1 s, one more try, so 15 s; and each try must outlast the API
     * transport's own timeouts: 0.5 s to wait for a free connection and 0.5 s to connect on loopback, 0.4 s to write
     * the small request, and 5.5 s to read, which is how long server A's held send stays unanswered before the kill
     * without ending).
     */
    private static Map<String, String> config(ApiStandIn api, String tickMs) {
        return Map.of(
                "IO_MAILPATH_ROUTING_PRIMARYPATH_SEND_TIMEOUT_VALUE",
                "7000",
                "IO_MAILPATH_ROUTING_PRIMARYPATH_SEND_RETRY_MAXRETRIES",
                "0",
                "MAILPATH_FAILOVER_RATE_LIMIT_MAX_WAIT_MS",
                "1000",
                "MAILPATH_API_CONNECT_TIMEOUT_MS",
                "500",
                "MAILPATH_API_WRITE_TIMEOUT_MS",
                "400",
                "MAILPATH_API_READ_TIMEOUT_MS",
                "5500",
                "MAILPATH_API_URL",
                api.url(),
                "MAILPATH_API_KEY",
                "cluster-api-key-5d2e91",
                "MAILPATH_OUTBOX_RELAY_INTERVAL_MS",
                tickMs,
                "MAILPATH_OUTBOX_LEASE_MS",
                String.valueOf(LEASE.toMillis()));
    }

    // ---- The container scenarios on PostgreSQL, through server A ----

    @Test
    @Order(1)
    void anEnqueueThatCommitsIsSentOnceRightAfterTheCommit() throws Exception {
        enqueue(serverA, "scenario-committed", "commit");

        JsonObject entry = awaitFinished(serverA, "scenario-committed");
        assertThat(entry.getString("state")).isEqualTo("DELIVERED");
        assertThat(entry.getInt("attempts")).isEqualTo(1);
        assertThat(entry.getBoolean("possibleDuplicate")).isFalse();
        assertThat(apiA.count("scenario-committed")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void anEnqueueThatRollsBackLeavesNoRowAndSendsNothing() throws Exception {
        enqueue(serverA, "scenario-rolled-back", "rollback");
        assertThat(entry(serverA, "scenario-rolled-back").getBoolean("present")).isFalse();

        // One committed after it goes out: the relay drained, and the rolled-back one was not there to send.
        enqueue(serverA, "scenario-after-rollback", "commit");
        assertThat(awaitFinished(serverA, "scenario-after-rollback").getString("state"))
                .isEqualTo("DELIVERED");
        assertThat(apiA.count("scenario-rolled-back")).isZero();
        assertThat(rowCount("id = 'scenario-rolled-back'")).isZero();
    }

    @Test
    @Order(3)
    void anEntryTheApiRejectsIsDeadListedAndAnnounced() throws Exception {
        apiA.rejects("scenario-rejected");

        enqueue(serverA, "scenario-rejected", "commit");

        JsonObject entry = awaitFinished(serverA, "scenario-rejected");
        assertThat(entry.getString("state")).isEqualTo("DEAD");
        assertThat(entry.getInt("attempts")).isEqualTo(1);
        assertThat(apiA.count("scenario-rejected")).isEqualTo(1);
        JsonObject dead = get(serverA, "api/outbox/dead");
        assertThat(dead.getJsonArray("dead").getValuesAs(JsonString::getString)).containsExactly("scenario-rejected");
        // Fired after the row's commit, on the relay's thread: it may come a moment after the row says DEAD.
        assertThat(awaitTrue(() -> deathEvents(serverA) == 1, SCENARIO_DEADLINE))
                .isTrue();
        assertThat(apiA.stub.violations()).isEmpty();
    }

    // ---- The cluster ----

    @Test
    @Order(4)
    void twoServersDrainTenThousandAndOneIsKilledInTheMiddle() throws Exception {
        serverA.close();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + TABLE);
        }
        apiA.received.clear();
        apiB.received.clear();
        startBoth();

        // From this JVM through the core MailOutbox, in one transaction: all 10,000 become due at one instant, so
        // the rates below measure the relays alone (the endpoint's enqueue in a JTA transaction is the scenarios').
        Set<String> enqueued = new TreeSet<>();
        MailOutbox outbox = new MailOutbox(dataSource, OutboxSettings.DEFAULTS);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 1; i <= MESSAGES; i++) {
                enqueued.add(outbox.enqueue(c, OutboxResource.order(String.format(Locale.ROOT, "cluster-%05d", i))));
            }
            c.commit();
        }
        Instant committed = Instant.now();

        assertThat(awaitTrue(() -> received() >= KILL_AT, DRAIN_DEADLINE))
                .as("%d of %d delivered before the kill's point", received(), MESSAGES)
                .isTrue();
        // Server A's next send is taken by its stand-in and never answered: the kill then comes after the API
        // accepted a message that A has not recorded, so that one must go out again, and be flagged.
        apiA.holdFromNow();
        assertThat(awaitTrue(() -> apiA.firstHeld() != null, DRAIN_DEADLINE))
                .as("cluster-a sends once more")
                .isTrue();
        ProcessHandle jvm = serverA.jvm();
        String command = jvm.info().command().orElse("?");
        assertThat(databaseSessions(serverA))
                .as("cluster-a's database sessions, told apart by their application name")
                .isPositive();
        serverA.kill();
        Instant killed = Instant.now();
        assertThat(command).as("the process killed is the server's JVM").endsWith("java");
        // A statement PostgreSQL received before the kill still completes: look at the table once it has seen every
        // one of cluster-a's connections close.
        assertThat(awaitTrue(() -> databaseSessions(serverA) == 0, DRAIN_DEADLINE))
                .as("cluster-a's database sessions end with it")
                .isTrue();

        // What server A held at the kill: rows leased and not delivered, less B's. Until a claim's lease runs out only
        // its owner can change its rows, and B, alive, moves on within seconds with each of its claims (however many
        // drains it runs); so a claim none of whose rows changed until just before its lease ran out was A's.
        Map<String, Lease> leasedAtKill = leased();
        Set<String> movedTokens = new HashSet<>();
        for (Set<String> unsettled = tokens(leasedAtKill); !unsettled.isEmpty(); Thread.sleep(100)) {
            Map<String, Lease> now = leased();
            Instant looked = Instant.now(); // after the look: every change it saw happened before this

            leasedAtKill.forEach((id, lease) -> {
                Lease current = now.get(id);
                if (looked.isBefore(lease.until().minus(OWNER_ONLY_MARGIN))
                        && (current == null || !current.token().equals(lease.token()))) {
                    movedTokens.add(lease.token());
                }
            });
            unsettled.removeIf(token -> movedTokens.contains(token)
                    || leasedAtKill.values().stream()
                            .filter(l -> l.token().equals(token))
                            .allMatch(l -> !looked.isBefore(l.until().minus(OWNER_ONLY_MARGIN))));
        }
        Set<String> inFlight = leasedAtKill.entrySet().stream()
                .filter(e -> !movedTokens.contains(e.getValue().token()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(awaitTrue(
                        () -> rowCount("state <> 'DELIVERED' OR lease_token IS NOT NULL") == 0,
                        LEASE.plus(DRAIN_DEADLINE)))
                .as("every entry delivered and no lease left, %s after the lease", DRAIN_DEADLINE)
                .isTrue();
        Instant drained = Instant.now();

        // ---- What the database and the stand-ins say ----
        Map<String, Row> rows = rows();
        Map<String, Integer> receipts = new HashMap<>();
        apiA.received.forEach((id, n) -> receipts.merge(id, n.get(), Integer::sum));
        apiB.received.forEach((id, n) -> receipts.merge(id, n.get(), Integer::sum));
        Set<String> duplicates = receipts.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> flagged = duplicates.stream()
                .filter(id -> rows.containsKey(id) && rows.get(id).possibleDuplicate())
                .collect(Collectors.toCollection(TreeSet::new));
        // The relays pick the batch up at their next tick: the two-server rate counts from the first delivery.
        Instant firstDelivery = rows.values().stream()
                .map(Row::finishedAt)
                .min(Instant::compareTo)
                .orElse(committed);
        List<Row> beforeKill = rows.values().stream()
                .filter(r -> !r.finishedAt().isAfter(killed))
                .toList();
        List<Row> afterKill = rows.values().stream()
                .filter(r -> r.finishedAt().isAfter(killed) && !inFlight.contains(r.id()))
                .toList();
        Instant lastAfterKill =
                afterKill.stream().map(Row::finishedAt).max(Instant::compareTo).orElse(killed);
        Instant lastReclaimed = rows.values().stream()
                .filter(r -> inFlight.contains(r.id()))
                .map(Row::finishedAt)
                .max(Instant::compareTo)
                .orElse(killed);
        long reclaimedFlagged =
                inFlight.stream().filter(id -> rows.get(id).possibleDuplicate()).count();

        System.out.println(String.join(
                "\n",
                "",
                "==== Mailpath outbox cluster: 2 Open Liberty servers, 1 PostgreSQL, SIGKILL ====",
                line("enqueued", MESSAGES + " (one transaction, core MailOutbox from the test JVM)"),
                line(
                        "delivered (DELIVERED rows)",
                        rows.values().stream()
                                .filter(r -> r.state().equals("DELIVERED"))
                                .count()),
                line(
                        "received by the stand-ins",
                        receipts.values().stream().mapToInt(Integer::intValue).sum()
                                + " (" + receipts.size() + " distinct ids; sent by cluster-a " + sum(apiA)
                                + ", by cluster-b "
                                + sum(apiB) + ")"),
                line(
                        "duplicates (received 2+ times)",
                        duplicates.size() + " (flagged " + flagged.size() + ", unflagged "
                                + (duplicates.size() - flagged.size()) + "; cluster-a was killed while its"
                                + " stand-in held the answer to " + apiA.firstHeld() + ")"),
                line(
                        "in flight at the kill",
                        inFlight.size() + " (leased by cluster-a, not delivered; " + reclaimedFlagged
                                + " flagged possible duplicate when cluster-b took them)"),
                line("two servers, until the kill", rate(beforeKill.size(), firstDelivery, killed)),
                line(
                        "one server, after the kill",
                        rate(afterKill.size(), killed, lastAfterKill) + ", without the lease wait"),
                line(
                        "taken over after the lease",
                        inFlight.size() + " entries, the last " + seconds(killed, lastReclaimed)
                                + " after the kill (lease " + LEASE.toSeconds() + " s)"),
                line(
                        "all drained",
                        seconds(committed, drained) + " after the commit; stand-in delay " + API_DELAY_MS
                                + " ms per request; killed pid " + jvm.pid() + " (" + command + ")"),
                "===="));

        assertThat(rows.keySet()).isEqualTo(enqueued);
        assertThat(rows.values())
                .allSatisfy(r -> assertThat(r.state()).as(r.id()).isEqualTo("DELIVERED"));
        assertThat(receipts.keySet())
                .as("every id received, and nothing never enqueued")
                .isEqualTo(enqueued);
        assertThat(duplicates).as("duplicates, each flagged").isEqualTo(flagged);
        assertThat(inFlight)
                .as("duplicates only among the entries in flight at the kill")
                .containsAll(duplicates);
        assertThat(duplicates).as("the send cluster-a was making at the kill").contains(apiA.firstHeld());
        assertThat(rowCount("possible_duplicate AND id NOT IN (" + inClause(inFlight) + ")"))
                .as("no entry flagged but those in flight at the kill")
                .isZero();
        assertThat(reclaimedFlagged)
                .as("every entry cluster-a held at the kill flagged when taken over")
                .isEqualTo(inFlight.size());
        assertThat(inFlight)
                .as("cluster-a's entries delivered only after their lease ran out")
                .allSatisfy(id -> assertThat(rows.get(id).finishedAt())
                        .isAfterOrEqualTo(leasedAtKill.get(id).until()));
        assertThat(lastReclaimed)
                .as("nothing stuck past the lease (with a minute's margin for a busy machine)")
                .isBefore(killed.plus(LEASE).plus(Duration.ofMinutes(1)));
        assertThat(apiA.stub.violations()).isEmpty();
        assertThat(apiB.stub.violations()).isEmpty();
        assertThat(deathEvents(serverB)).isZero();
    }

    private static void startBoth() throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> started = starter.invokeAll(List.<Callable<Object>>of(
                    () -> {
                        serverA.start(config(apiA, CLUSTER_TICK_MS));
                        return null;
                    },
                    () -> {
                        serverB.start(config(apiB, CLUSTER_TICK_MS));
                        return null;
                    }));
            for (Future<Object> f : started) {
                f.get();
            }
        } finally {
            starter.shutdownNow();
        }
    }

    private static long received() {
        return sum(apiA) + sum(apiB);
    }

    private static long sum(ApiStandIn api) {
        return api.received.values().stream().mapToLong(n -> n.get()).sum();
    }

    private static String line(String what, Object value) {
        return String.format(Locale.ROOT, "%-32s %s", what, value);
    }

    private static String rate(int delivered, Instant from, Instant to) {
        double s = Duration.between(from, to).toMillis() / 1000.0;
        return String.format(Locale.ROOT, "%d in %.1f s = %.0f msg/s", delivered, s, s > 0 ? delivered / s : 0.0);
    }

    private static String seconds(Instant from, Instant to) {
        return String.format(Locale.ROOT, "%.1f s", Duration.between(from, to).toMillis() / 1000.0);
    }

    private static String inClause(Set<String> ids) {
        return ids.isEmpty() ? "NULL" : ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
    }

    // ---- The database ----

    record Row(String id, String state, boolean possibleDuplicate, Instant finishedAt) {}

    private static Map<String, Row> rows() throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, state, possible_duplicate, finished_at FROM " + TABLE)) {
            while (rs.next()) {
                var finished = rs.getTimestamp(4, utc);
                rows.put(
                        rs.getString(1),
                        new Row(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getBoolean(3),
                                finished == null ? Instant.MAX : finished.toInstant()));
            }
        }
        return rows;
    }

    /** A claim on an entry: the claiming relay's token and when its lease runs out. */
    private record Lease(String token, Instant until) {}

    /** The lease of every entry leased and not finished, by id. */
    private static Map<String, Lease> leased() {
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, lease_token, lease_until FROM " + TABLE
                        + " WHERE state = 'PENDING' AND lease_token IS NOT NULL")) {
            Map<String, Lease> leased = new HashMap<>();
            while (rs.next()) {
                leased.put(
                        rs.getString(1),
                        new Lease(rs.getString(2), rs.getTimestamp(3, utc).toInstant()));
            }
            return leased;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> tokens(Map<String, Lease> leases) {
        return leases.values().stream().map(Lease::token).collect(Collectors.toCollection(HashSet::new));
    }

    /** The database sessions a server holds open (its data source names it, {@code applicationName}). */
    private static int databaseSessions(LibertyServer server) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, server.name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int rowCount(String where) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + TABLE + " WHERE " + where);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- The application's endpoint ----

    private static void enqueue(LibertyServer server, String id, String outcome) throws Exception {
        String form = "id=" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "&outcome=" + outcome;
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(server.url("api/outbox/enqueue"))
                        .timeout(Duration.ofMinutes(1))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static JsonObject entry(LibertyServer server, String id) throws Exception {
        return get(server, "api/outbox/entry/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    private static JsonObject get(LibertyServer server, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(server.url(path))
                        .timeout(Duration.ofMinutes(1))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    private static int deathEvents(LibertyServer server) {
        try {
            return get(server, "api/outbox/dead").getInt("deathEvents");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits, on a generous deadline, until the relay delivered the entry or gave it up. */
    private static JsonObject awaitFinished(LibertyServer server, String id) throws Exception {
        long deadline = System.nanoTime() + SCENARIO_DEADLINE.toNanos();
        JsonObject e = entry(server, id);
        while (e.getBoolean("present") && e.getString("state").equals("PENDING") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            e = entry(server, id);
        }
        return e;
    }

    private static boolean awaitTrue(BooleanSupplier condition, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
