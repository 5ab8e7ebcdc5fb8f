package io.mailpath.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.peers.SpecCheckingStub;
import io.mailpath.testing.peers.TestSmtpServer;
import io.mailpath.testing.peers.TestTls;
import io.mailpath.testing.peers.TransmissionSpec;
import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every message accounted for under load, through the real transports: 10,000 messages from 16 senders (each message
 * sent with {@code send} or {@code sendAsync}, at random) through the routed {@code MailTransport} with Fault
 * Tolerance, {@code api} then {@code smtp}. The API (the spec-checking stub) fails a fifth of its requests with 503,
 * a reset after reading the whole request, or no answer within the client's read timeout; the SMTP server (STARTTLS
 * and AUTH) refuses 5% of messages with 451 and drops the connection after storing 1% of them.
 *
 * <p>Afterwards each message is in exactly one of: received by the API, received by SMTP, raised to its caller;
 * except that a message received twice, or received and raised, has a receipt or an exception that says it may be a
 * duplicate. No sender is stuck, and once the container stopped the SMTP server sees no connection left open.
 *
 * <p>Timing is used for the stall only: a slow machine turns more answers into uncertain outcomes (failed over, and
 * flagged), which the invariant accounts for like any other.
 */
@MailpathTest(
        config = {
            "mailpath.transports=api,smtp",
            "mailpath.api.key=" + RoutedFaultLoadTest.API_KEY,
            "mailpath.api.insecure-allow-http=true",
            "mailpath.api.connect-timeout-ms=10000",
            "mailpath.api.read-timeout-ms=" + RoutedFaultLoadTest.API_READ_TIMEOUT_MS,
            "mailpath.smtp.host=127.0.0.1",
            "mailpath.smtp.username=" + TestSmtpServer.USER,
            "mailpath.smtp.password=" + TestSmtpServer.PASSWORD,
            "mailpath.smtp.connect-timeout-ms=10000",
            "mailpath.smtp.read-timeout-ms=30000",
            "mailpath.smtp.write-timeout-ms=30000",
            "mailpath.smtp.pool.acquire-timeout-ms=30000",
            // Short retry delays: they change no count, only the run's length.
            "io.mailpath.routing.PrimaryPath/send/Retry/delay=1",
            "io.mailpath.routing.PrimaryPath/send/Retry/jitter=0",
            "io.mailpath.routing.SecondaryPath/send/Retry/delay=1",
            "io.mailpath.routing.SecondaryPath/send/Retry/jitter=0",
            // The circuit breaker as configured, but for how long it stays open: a slow start (or a slow machine)
            // that opens it costs seconds of API traffic, not the run's.
            "io.mailpath.routing.PrimaryPath/send/CircuitBreaker/delay=2000"
        })
class RoutedFaultLoadTest {
    static final String API_KEY = "mt-e2e-load-3c9d7e21";
    /** Short, so that the stalls cost little; a normal answer later than this is uncertain, and accounted. */
    static final int API_READ_TIMEOUT_MS = 1000;

    private static final int MESSAGES = 10_000;
    private static final int SENDERS = 16;
    /** The seed of every random choice: the API's faults, the SMTP server's, send or sendAsync. */
    private static final long SEED = 20_261_122;
    /** A stalled API answer comes this long after the request: well past the read timeout. */
    private static final int API_STALL_MS = 3 * API_READ_TIMEOUT_MS;
    /** Bounds that only a stuck sender reaches; no send comes near them. */
    private static final Duration ONE_SEND_BOUND = Duration.ofMinutes(3);

    private static final Duration ALL_SENDERS_BOUND = Duration.ofMinutes(8);

    @TempDir
    static Path dir;

    private static FailingApi api;
    private static SpecCheckingStub apiStub;
    private static TestSmtpServer smtp;
    private static final AtomicInteger smtpRefused = new AtomicInteger();
    private static final AtomicInteger smtpDropped = new AtomicInteger();
    private static final List<String> peerKeys = List.of(
            "mailpath.api.url",
            "mailpath.smtp.port",
            "mailpath.smtp.trust-store",
            "mailpath.smtp.trust-store-password");

    @Inject
    MailTransport mail;

    /** What the caller got for one message: a receipt or an exception, and whether it came from sendAsync. */
    private record Outcome(SendReceipt receipt, MailException failure, boolean async) {
        boolean flaggedDuplicate() {
            return receipt != null
                    ? receipt.possibleDuplicate()
                    : failure.kind() == FailureKind.UNCERTAIN || failure.possibleDuplicate();
        }
    }

    /**
     * Starts the peers before the container, which reads their addresses as system properties (the test's own
     * configuration cannot know their ports).
     */
    @BeforeAll
    static void startPeers() throws Exception {
        TestTls tls = TestTls.create(dir);
        // Parsing the OpenAPI spec takes seconds: done here, so that the first requests do not run into the read
        // timeout for it.
        assertThat(TransmissionSpec.violations("{}")).isNotEmpty();
        api = new FailingApi(0.20, API_STALL_MS, SEED);
        // Stalled answers wait on WireMock's scheduler, not on its request threads.
        apiStub = new SpecCheckingStub(o -> o.extensions(api)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4)
                .containerThreads(64)
                .disableRequestJournal());
        apiStub.server.stubFor(post(urlEqualTo(TransmissionSpec.PATH)).willReturn(okJson("{}")));

        // The server never closes an idle connection itself within the test, so that one left open is seen.
        smtp = new TestSmtpServer(0, TestSmtpServer.Tls.STARTTLS_REQUIRED, tls, true, Duration.ofMinutes(30));
        Random smtpFaults = new Random(SEED + 1);
        smtp.dataFaults = () -> {
            double r;
            synchronized (smtpFaults) {
                r = smtpFaults.nextDouble();
            }
            if (r < 0.05) {
                smtpRefused.incrementAndGet();
                return TestSmtpServer.DataFault.refuse(451);
            }
            if (r < 0.06) {
                smtpDropped.incrementAndGet();
                return TestSmtpServer.DataFault.dropAfterStoring();
            }
            return null;
        };

        System.setProperty("mailpath.api.url", apiStub.url());
        System.setProperty("mailpath.smtp.port", String.valueOf(smtp.port()));
        System.setProperty("mailpath.smtp.trust-store", tls.trustStore.toString());
        System.setProperty("mailpath.smtp.trust-store-password", new String(TestTls.PASSWORD));
    }

    /** After the container stopped (and with it the transports): the SMTP pool left no connection open. */
    @AfterAll
    static void noConnectionLeftOpen() throws Exception {
        peerKeys.forEach(System::clearProperty);
        try {
            boolean closed = smtp.awaitClosed(Duration.ofSeconds(60));
            System.out.printf(
                    "SMTP connections open at the server once the container stopped: %d%n", smtp.openConnections());
            assertThat(closed)
                    .as("every SMTP connection closed once the transports were")
                    .isTrue();
        } finally {
            smtp.close();
            apiStub.close();
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void everyMessageIsReceivedOnceOrRaisedAndEveryDuplicateIsFlagged() throws Exception {
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger stuck = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            Random syncOrAsync = new Random(SEED + 100 + s);
            done.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i = 0; i < MESSAGES / SENDERS; i++) {
                            Mail m = message(i);
                            Outcome o = syncOrAsync.nextBoolean() ? sendAsync(m, stuck) : send(m);
                            if (o != null) {
                                outcomes.put(m.id(), o);
                            }
                        }
                    },
                    senders));
        }
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(ALL_SENDERS_BOUND.toSeconds(), TimeUnit.SECONDS);
        } finally {
            senders.shutdownNow();
        }

        Map<String, Integer> atApi = api.acceptedCopies();
        Map<String, Integer> atSmtp = smtpCopies();
        int viaApi = 0, viaSmtp = 0, failedOver = 0, async = 0, flagged = 0;
        int receivedTwice = 0, unflagged = 0, receiptWithoutCopy = 0;
        Map<FailureKind, Integer> raised = new TreeMap<>();
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, Outcome> e : outcomes.entrySet()) {
            String id = e.getKey();
            Outcome o = e.getValue();
            int copiesAtApi = atApi.getOrDefault(id, 0);
            int copiesAtSmtp = atSmtp.getOrDefault(id, 0);
            if (o.async()) {
                async++;
            }
            if (o.flaggedDuplicate()) {
                flagged++;
            }
            if (o.receipt() != null) {
                boolean byApi = o.receipt().transport().equals("api");
                if (byApi) {
                    viaApi++;
                } else {
                    viaSmtp++;
                }
                if (o.receipt().failedOver()) {
                    failedOver++;
                }
                if ((byApi ? copiesAtApi : copiesAtSmtp) == 0) {
                    receiptWithoutCopy++;
                    broken.add(id + ": receipt from " + o.receipt().transport() + " but that peer has no copy");
                }
            } else {
                raised.merge(o.failure().kind(), 1, Integer::sum);
            }
            // Beyond one place: a second copy, or a copy of a message its caller was told failed.
            int copies = copiesAtApi + copiesAtSmtp;
            boolean beyondOne = copies > 1 || (copies > 0 && o.receipt() == null);
            if (beyondOne) {
                receivedTwice++;
                if (!o.flaggedDuplicate()) {
                    unflagged++;
                    broken.add(id + ": api " + copiesAtApi + ", smtp " + copiesAtSmtp + ", caller got "
                            + (o.receipt() != null
                                    ? "an unflagged receipt from " + o.receipt().transport()
                                    : o.failure()));
                }
            }
        }
        int raisedTotal = raised.values().stream().mapToInt(Integer::intValue).sum();

        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT,
                "%nRouted load through the real transports (api then smtp): %d messages, %d senders%n",
                MESSAGES,
                SENDERS));
        row(table, "what", "count");
        row(table, "---", "---");
        row(table, "sent (of them with sendAsync)", outcomes.size() + " (" + async + ")");
        row(table, "delivered via api", viaApi);
        row(table, "delivered via smtp (failed over)", viaSmtp + " (" + failedOver + ")");
        raised.forEach((kind, n) -> row(table, "raised " + kind, n));
        row(table, "flagged possible duplicate (receipts and exceptions)", flagged);
        row(table, "received twice, or received and raised", receivedTwice);
        row(table, "... of them not flagged", unflagged);
        row(table, "receipts without a copy at their transport", receiptWithoutCopy);
        row(table, "senders stuck", stuck.get());
        row(
                table,
                "API requests: 200 / 503 / reset after request / stall",
                api.answered(FailingApi.Answer.OK) + " / " + api.answered(FailingApi.Answer.UNAVAILABLE_503) + " / "
                        + api.answered(FailingApi.Answer.RESET_AFTER_REQUEST) + " / "
                        + api.answered(FailingApi.Answer.STALL));
        row(
                table,
                "SMTP messages stored / refused 451 / dropped after storing",
                smtp.accepted.get() + " / " + smtpRefused.get() + " / " + smtpDropped.get());
        System.out.println(table);

        assertThat(stuck.get())
                .as("sends that did not end within %s", ONE_SEND_BOUND)
                .isZero();
        assertThat(outcomes).hasSize(MESSAGES);
        assertThat(viaApi + viaSmtp + raisedTotal).isEqualTo(MESSAGES);
        assertThat(broken).as("messages not accounted for").isEmpty();
        // A message no peer received was raised, never reported delivered (receipts checked above).
        assertThat(apiStub.violations())
                .as("requests that break the OpenAPI spec")
                .isEmpty();
        // The faults did happen, and the invariant had something to hold against.
        assertThat(api.answered(FailingApi.Answer.UNAVAILABLE_503)).isPositive();
        assertThat(api.answered(FailingApi.Answer.RESET_AFTER_REQUEST)).isPositive();
        assertThat(api.answered(FailingApi.Answer.STALL)).isPositive();
        assertThat(smtpRefused.get()).isPositive();
        assertThat(smtpDropped.get()).isPositive();
        assertThat(viaSmtp).isPositive();
        assertThat(receivedTwice).isPositive();
    }

    private static Mail message(int i) {
        return Mail.builder()
                .from("sender@example.com")
                .to("user" + i + "@example.org")
                .subject("Load " + i)
                .text("Message " + i)
                .metadata("n", String.valueOf(i))
                .build();
    }

    private Outcome send(Mail m) {
        try {
            return new Outcome(mail.send(m), null, false);
        } catch (MailException e) {
            return new Outcome(null, e, false);
        }
    }

    /** Waits for the result within a bound that only a stuck send reaches; null (and counted) when it does. */
    private Outcome sendAsync(Mail m, AtomicInteger stuck) {
        try {
            return new Outcome(
                    mail.sendAsync(m).toCompletableFuture().get(ONE_SEND_BOUND.toSeconds(), TimeUnit.SECONDS),
                    null,
                    true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MailException me) {
                return new Outcome(null, me, true);
            }
            throw new AssertionError("sendAsync failed with something other than a MailException", e.getCause());
        } catch (TimeoutException e) {
            stuck.incrementAndGet();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** How many copies of each message the SMTP server stored, by its {@link Mail#ID_HEADER}. */
    private static Map<String, Integer> smtpCopies() throws MessagingException {
        Map<String, Integer> copies = new ConcurrentHashMap<>();
        for (TestSmtpServer.Received r : smtp.received) {
            copies.merge(r.message().getHeader(Mail.ID_HEADER, null), 1, Integer::sum);
        }
        return copies;
    }

    private static void row(StringBuilder table, String what, Object count) {
        table.append(String.format(Locale.ROOT, "| %-58s | %15s |%n", what, count));
    }
}
