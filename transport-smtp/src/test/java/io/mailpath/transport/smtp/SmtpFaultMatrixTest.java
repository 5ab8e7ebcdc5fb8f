package io.mailpath.transport.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import io.mailpath.testing.peers.FaultyProxy;
import io.mailpath.testing.peers.FaultyProxy.Action;
import io.mailpath.testing.peers.FaultyProxy.Direction;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SMTP protocol step × every connection fault, each a real send through {@link FaultyProxy} to a real server,
 * checked against one invariant: a message the server received gives a receipt or UNCERTAIN; one it did not gives
 * UNAVAILABLE (UNCERTAIN only when the client had already written the final dot), never REJECTED or AUTHENTICATION,
 * since no server sent a code; no message is received twice; and no connection is left open once the transport is
 * closed. A pooled connection the server ended while it was idle must not cost the message: the send delivers it,
 * once.
 *
 * <p>Markers cannot be seen inside TLS, so the steps after the handshake run on a plaintext server
 * ({@code insecure-plaintext=true}, hence without AUTH), and the STARTTLS server's cases are the steps before TLS
 * (greeting, EHLO, STARTTLS), the handshake itself (its first record either way), and cuts of the encrypted stream
 * at byte counts that fall on AUTH, the envelope and the body.
 */
@Tag("slow")
class SmtpFaultMatrixTest {
    /** Connect and read timeouts of the transport under test. */
    private static final int TIMEOUT_MS = 2_000;
    /** What a stalled cell may take beyond its timeouts: generous, the outcome is what is checked. */
    private static final long MARGIN_MS = 30_000;

    private static final String MIDDLE = "MIDDLE-OF-THE-BODY";

    @TempDir
    static Path dir;

    static TestTls tls;
    /** A body larger than every socket buffer on the way, so that a fault mid-body reaches the client's writes. */
    static String bigBody;

    @BeforeAll
    static void setUp() throws Exception {
        tls = TestTls.create(dir);
        StringBuilder b = new StringBuilder();
        String line = "x".repeat(70) + "\r\n";
        for (int i = 0; b.length() < 256 * 1024; i++) {
            b.append(line);
        }
        b.append(MIDDLE).append("\r\n");
        // After the marker: more than the client's send buffer can hold (4 MB at most here).
        while (b.length() < 6_500_000) {
            b.append(line);
        }
        bigBody = b.toString();
    }

    /** One cell: where the fault is armed and whether the client had written the whole message by then. */
    private record Cell(
            boolean tls,
            String step,
            String fault,
            Consumer<FaultyProxy> arm,
            boolean wholeMessageWritten,
            boolean reused,
            boolean retireAfterSend,
            boolean mustDeliver) {
        Cell(String step, String fault, Consumer<FaultyProxy> arm, boolean whole, boolean reused, boolean retire) {
            this(false, step, fault, arm, whole, reused, retire, false);
        }

        Cell(boolean tls, String step, String fault, Consumer<FaultyProxy> arm) {
            this(tls, step, fault, arm, false, false, false, false);
        }
    }

    private record Row(Cell cell, int received, String outcome, long ms, boolean fired, boolean leaked) {}

    private static final String[] FAULTS = {"close", "reset", "stall", "cut"};

    private static Action action(String fault) {
        return switch (fault) {
            case "reset" -> Action.RESET;
            case "stall" -> Action.STALL;
            default -> Action.CLOSE;
        };
    }

    /** Arms a fault when the client is about to send {@code marker}; "cut" lets the first {@code cutAt} bytes of it through. */
    private static List<Cell> beforeClientSends(boolean tls, String step, String marker, int cutAt, boolean whole) {
        List<Cell> cells = new ArrayList<>();
        for (String f : FAULTS) {
            Consumer<FaultyProxy> arm = f.equals("cut")
                    ? p -> p.after(Direction.CLIENT_TO_SERVER, marker.substring(0, cutAt), Action.CLOSE)
                    : p -> p.at(Direction.CLIENT_TO_SERVER, marker, action(f));
            cells.add(new Cell(tls, step, f, arm, whole, false, false, false));
        }
        return cells;
    }

    private static List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        // --- STARTTLS server with AUTH: what happens before and during the handshake.
        for (String f : FAULTS) {
            Consumer<FaultyProxy> arm = f.equals("cut")
                    ? p -> p.afterBytes(Direction.SERVER_TO_CLIENT, 5, Action.CLOSE)
                    : p -> p.onConnect(action(f));
            cells.add(new Cell(true, "greeting", f, arm));
        }
        cells.addAll(beforeClientSends(true, "EHLO", "EHLO", 3, false));
        cells.addAll(beforeClientSends(true, "STARTTLS", "STARTTLS", 5, false));
        // A TLS record starts with its type (22: handshake) and the major version 3.
        cells.addAll(beforeClientSends(true, "TLS ClientHello", "\u0016\u0003", 1, false));
        for (String f : FAULTS) {
            Consumer<FaultyProxy> arm = f.equals("cut")
                    ? p -> p.after(Direction.SERVER_TO_CLIENT, "\u0016\u0003", Action.CLOSE)
                    : p -> p.at(Direction.SERVER_TO_CLIENT, "\u0016\u0003", action(f));
            cells.add(new Cell(true, "TLS ServerHello", f, arm));
        }
        // Encrypted: cut at byte counts of the client's stream, from the end of the handshake through AUTH, the
        // envelope and into the body (the body alone is megabytes, so the client cannot have written it all).
        for (long n : new long[] {700, 900, 1100, 1300, 1500, 1700, 1900, 2100, 2400, 2800, 3500, 100_000}) {
            for (String f : new String[] {"close", "reset"}) {
                cells.add(new Cell(
                        true, "TLS byte " + n, f, p -> p.afterBytes(Direction.CLIENT_TO_SERVER, n, action(f))));
            }
        }
        // --- Plaintext server: every step after the greeting by its marker.
        cells.addAll(beforeClientSends(false, "EHLO", "EHLO", 3, false));
        cells.addAll(beforeClientSends(false, "MAIL", "MAIL FROM", 6, false));
        cells.addAll(beforeClientSends(false, "RCPT", "RCPT TO", 6, false));
        cells.addAll(beforeClientSends(false, "DATA", "DATA\r\n", 2, false));
        cells.addAll(beforeClientSends(false, "body start", "X-Mailpath-Id", 4, false));
        cells.addAll(beforeClientSends(false, "mid-body", MIDDLE, 6, false));
        for (String f : FAULTS) {
            // "cut" lets the dot through without its line break: the server never sees the end of the data.
            Consumer<FaultyProxy> arm = f.equals("cut")
                    ? p -> p.after(Direction.CLIENT_TO_SERVER, "\r\n.", Action.CLOSE)
                    : p -> p.after(Direction.CLIENT_TO_SERVER, "\r\n.\r\n", action(f));
            cells.add(new Cell("after final dot", f, arm, true, false, false));
        }
        for (Cell c : beforeClientSends(false, "QUIT (retired)", "QUIT", 2, true)) {
            cells.add(new Cell(c.step, c.fault, c.arm, true, false, true));
        }
        // A pooled connection is reused without a round trip first: one that fails at MAIL FROM (nothing of the
        // message written) is tried once more on a new connection, except after a timeout.
        for (Cell c : beforeClientSends(false, "MAIL (reused)", "MAIL FROM", 6, false)) {
            cells.add(new Cell(c.step, c.fault, c.arm, false, true, false));
        }
        // The server (or a middlebox) ended the pooled connection while it was idle: the next send delivers, once.
        for (boolean useTls : new boolean[] {false, true}) {
            for (String f : new String[] {"close", "reset"}) {
                Consumer<FaultyProxy> arm = p -> p.endOpenConnections(action(f));
                cells.add(new Cell(useTls, "idle pooled, server ended", f, arm, false, true, false, true));
            }
        }
        return cells;
    }

    private static Map<String, String> config(boolean useTls, int port) {
        Map<String, String> c = new HashMap<>();
        c.put("mailpath.smtp.host", "127.0.0.1");
        c.put("mailpath.smtp.port", String.valueOf(port));
        if (useTls) {
            c.put("mailpath.smtp.username", TestSmtpServer.USER);
            c.put("mailpath.smtp.password", TestSmtpServer.PASSWORD);
            c.put("mailpath.smtp.trust-store", tls.trustStore.toString());
            c.put("mailpath.smtp.trust-store-password", new String(TestTls.PASSWORD));
        } else {
            c.put("mailpath.smtp.insecure-plaintext", "true");
        }
        c.put("mailpath.smtp.connect-timeout-ms", String.valueOf(TIMEOUT_MS));
        c.put("mailpath.smtp.read-timeout-ms", String.valueOf(TIMEOUT_MS));
        c.put("mailpath.smtp.write-timeout-ms", String.valueOf(TIMEOUT_MS));
        return c;
    }

    private static Mail mail(String body) {
        return Mail.builder()
                .from("sender@example.com")
                .to("rcpt@example.org")
                .subject("Fault matrix")
                .text(body)
                .build();
    }

    /** How many copies of the mail the server accepted. */
    private static int receivedMail(TestSmtpServer server, Mail mail) throws Exception {
        int copies = 0;
        for (TestSmtpServer.Received r : server.received) {
            String[] id = r.message().getHeader("X-Mailpath-Id");
            if (id != null && id[0].equals(mail.id())) {
                copies++;
            }
        }
        return copies;
    }

    private Row run(Cell cell) throws Exception {
        TestSmtpServer.Tls mode = cell.tls ? TestSmtpServer.Tls.STARTTLS_REQUIRED : TestSmtpServer.Tls.NONE;
        try (TestSmtpServer server = new TestSmtpServer(mode, tls, cell.tls);
                FaultyProxy proxy = FaultyProxy.to(server.port())) {
            Map<String, String> config = config(cell.tls, proxy.port());
            if (cell.retireAfterSend) {
                config.put("mailpath.smtp.pool.max-messages-per-connection", "1");
            }
            Mail mail = mail(bigBody);
            String outcome;
            long start;
            try (DirectTransport smtp = Transports.create("smtp", config)) {
                if (cell.reused) {
                    smtp.send(mail("warm-up"));
                }
                cell.arm.accept(proxy);
                start = System.nanoTime();
                try {
                    smtp.send(mail);
                    outcome = "receipt";
                } catch (MailException e) {
                    outcome = e.kind().name() + (e.status() > 0 ? " " + e.status() : "");
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            // Once every connection closed on both sides, the server has read all that was forwarded to it.
            boolean leaked = !proxy.awaitClosed(Duration.ofSeconds(30));
            return new Row(cell, receivedMail(server, mail), outcome, ms, proxy.fired(), leaked);
        }
    }

    private static String violation(Row r) {
        if (!r.fired) {
            return "the fault never fired";
        }
        if (r.leaked) {
            return "a connection was left open";
        }
        if (r.ms > 3L * TIMEOUT_MS + MARGIN_MS) {
            return "took " + r.ms + " ms";
        }
        if (r.received > 1) {
            return "received " + r.received + " times";
        }
        boolean receipt = r.outcome.equals("receipt");
        if (r.cell.mustDeliver && !(receipt && r.received == 1)) {
            return "must be delivered once, yet " + r.outcome;
        }
        boolean uncertain = r.outcome.startsWith(FailureKind.UNCERTAIN.name());
        boolean unavailable = r.outcome.startsWith(FailureKind.UNAVAILABLE.name());
        if (r.received == 1) {
            return receipt || uncertain ? null : "received, yet " + r.outcome;
        }
        if (receipt) {
            return "a receipt for a message the server did not receive";
        }
        if (uncertain && !r.cell.wholeMessageWritten) {
            return "UNCERTAIN before the final dot was written";
        }
        return unavailable || uncertain ? null : "not received and no reply code, yet " + r.outcome;
    }

    @Test
    void everyStepAndFaultFollowsThePhaseRule() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Cell cell : cells()) {
            rows.add(run(cell));
        }
        StringBuilder table = new StringBuilder();
        String format = "%-9s | %-26s | %-5s | %-9s | %-16s | %6s | %s%n";
        table.append("SMTP fault matrix (STARTTLS: server with STARTTLS and AUTH, markers only before TLS, byte counts"
                + " after; plaintext: insecure-plaintext=true, no AUTH; timeouts " + TIMEOUT_MS + " ms)\n");
        table.append(String.format(format, "server", "step", "fault", "received", "outcome", "ms", "check"));
        List<String> failures = new ArrayList<>();
        for (Row r : rows) {
            String v = violation(r);
            table.append(String.format(
                    format,
                    r.cell.tls ? "STARTTLS" : "plaintext",
                    r.cell.step,
                    r.cell.fault,
                    r.received == 0 ? "no" : r.received == 1 ? "yes" : r.received + " times",
                    r.outcome,
                    r.ms,
                    v == null ? "ok" : "FAILED: " + v));
            if (v != null) {
                failures.add(r.cell.step + " / " + r.cell.fault + ": " + v);
            }
        }
        System.out.print(table);
        assertThat(failures).as(table.toString()).isEmpty();
    }
}
