package io.mailpath.bench;

import com.sun.management.OperatingSystemMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.mailpath.outbox.MailOutbox;
import io.mailpath.outbox.OutboxDrains;
import io.mailpath.outbox.OutboxRelay;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One relay in a JVM of its own, standing for one server: the outbox on PostgreSQL ({@code bench.postgresql}, a JDBC
 * URL) through a connection pool as a server's data source has, sending through the API transport to nginx ({@code
 * bench.nginx}), with {@code args[0]} drains at once ({@link OutboxDrains} on a fixed pool standing in for the managed
 * executor). It has no tick: it drains when the benchmark writes {@code drain} on its standard input, and answers
 * {@code cpu} with its process CPU time in nanoseconds.
 */
public final class RelayJvm {
    private RelayJvm() {}

    public static void main(String[] args) throws Exception {
        int concurrency = Integer.parseInt(args[0]);
        ExecutorService executor = Executors.newFixedThreadPool(concurrency);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // Each drain holds one connection at a time (a claim or an update, never during a send).
        try (HikariDataSource dataSource = OutboxRows.dataSource(concurrency + 1);
                DirectTransport transport = Transports.create("api", Bench.apiConfig(Bench.property("bench.nginx")))) {
            MailOutbox outbox = new MailOutbox(dataSource, OutboxRows.SETTINGS);
            OutboxDrains drains = new OutboxDrains(
                    new OutboxRelay(outbox, transport), executor, concurrency, OutboxRows.SETTINGS.batchSize());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            System.out.flush();
            for (String command; (command = commands.readLine()) != null && !command.equals("quit"); ) {
                switch (command) {
                    case "drain" -> drains.request();
                    case "cpu" -> System.out.println(os.getProcessCpuTime());
                    default -> System.out.println("unknown command " + command);
                }
                System.out.flush();
            }
            drains.stop();
        } finally {
            executor.shutdownNow();
        }
        System.exit(0);
    }
}
