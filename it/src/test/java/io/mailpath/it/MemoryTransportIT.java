package io.mailpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test kit's in-memory transports inside a deployed application: the WAR holds the real Mailpath jars and the
 * kit's jar alone, and routes between {@code memory} and {@code memory-backup} with the default failover policy.
 */
@ExtendWith(ArquillianExtension.class)
class MemoryTransportIT {
    @ArquillianResource
    URL base;

    private MailApp app;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withTestKit("memory", Map.of("mailpath.transports", "memory,memory-backup"));
    }

    @BeforeEach
    void clearMailboxes() throws Exception {
        app = new MailApp(base);
        app.delete("mailbox");
    }

    private MailApp.Answer send(String to) throws Exception {
        return app.post("mailbox/send", MailApp.message(to));
    }

    private void failNext(String transport, int times, String kind, int status) throws Exception {
        app.post(
                "mailbox/" + transport + "/fail",
                new MailApp.Form()
                        .with("times", String.valueOf(times))
                        .with("kind", kind)
                        .with("status", String.valueOf(status)));
    }

    private JsonObject mailbox(String transport) throws Exception {
        return app.get("mailbox/" + transport);
    }

    private static List<String> attempts(JsonObject json) {
        return json.getJsonArray("attempts").getValuesAs(JsonObject.class).stream()
                .map(a -> a.getString("transport") + ":" + a.getString("failure"))
                .toList();
    }

    @Test
    void aSendLandsInTheMemoryMailbox() throws Exception {
        MailApp.Answer answer = send("ann@example.org");

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(answer.json().getString("transport")).isEqualTo("memory");
        assertThat(answer.json().getBoolean("failedOver")).isFalse();
        assertThat(attempts(answer.json())).containsExactly("memory:NONE");
        JsonObject memory = mailbox("memory");
        assertThat(memory.getInt("deliveriesTried")).isEqualTo(1);
        assertThat(memory.getJsonArray("messages").getValuesAs(JsonObject.class))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getString("mailId")).isEqualTo(answer.json().getString("mailId"));
                    assertThat(m.getString("transmissionId"))
                            .isEqualTo(answer.json().getString("transmissionId"));
                    assertThat(m.getJsonArray("recipients").getString(0)).isEqualTo("ann@example.org");
                });
        assertThat(mailbox("memory-backup").getInt("deliveriesTried")).isZero();
    }

    @Test
    void anUnavailableMemoryTransportIsRetriedThenTheBackupRecordsIt() throws Exception {
        // The default @Retry makes three tries: all three fail.
        failNext("memory", 3, "unavailable", 0);

        MailApp.Answer answer = send("bob@example.org");

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(answer.json().getString("transport")).isEqualTo("memory-backup");
        assertThat(answer.json().getBoolean("failedOver")).isTrue();
        assertThat(answer.json().getBoolean("possibleDuplicate")).isFalse();
        assertThat(attempts(answer.json()))
                .containsExactly(
                        "memory:UNAVAILABLE", "memory:UNAVAILABLE", "memory:UNAVAILABLE", "memory-backup:NONE");
        JsonObject memory = mailbox("memory");
        assertThat(memory.getInt("deliveriesTried")).isEqualTo(3);
        assertThat(memory.getJsonArray("messages")).isEmpty();
        assertThat(mailbox("memory-backup").getJsonArray("messages").getValuesAs(JsonObject.class))
                .singleElement()
                .satisfies(m -> assertThat(m.getString("mailId"))
                        .isEqualTo(answer.json().getString("mailId")));
        // The application's observers hear of the failover, which the caller's receipt alone would not raise.
        String mailId = answer.json().getString("mailId");
        assertThat(events(mailId, "sync")).containsExactly("MailFailedOver", "MailSent");
        assertThat(awaitEvents(mailId, "async", 2)).containsExactlyInAnyOrder("MailFailedOver", "MailSent");
    }

    private List<String> events(String mailId, String observers) throws Exception {
        return app.get("mail/events/" + mailId).getJsonArray(observers).getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)
                .toList();
    }

    /** Asynchronous observers run on the server's own threads: polls until they have seen {@code count} events. */
    private List<String> awaitEvents(String mailId, String observers, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> seen = events(mailId, observers);
        while (seen.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = events(mailId, observers);
        }
        return seen;
    }

    @Test
    void aRejectedMessageIsNotFailedOver() throws Exception {
        failNext("memory", 1, "rejected", 400);

        MailApp.Answer answer = send("cy@example.org");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().getString("type")).isEqualTo("MailRejectedException");
        assertThat(answer.json().getInt("status")).isEqualTo(400);
        assertThat(mailbox("memory").getInt("deliveriesTried")).isEqualTo(1);
        assertThat(mailbox("memory-backup").getInt("deliveriesTried")).isZero();
    }

    /**
     * A smaller routed load than the test JVM's, on this server's Fault Tolerance: 400 messages from 8 clients, the
     * primary failing a fifth of its deliveries (half unavailable, half accepted with the answer lost), the backup 6%.
     * Every message is received by a path or raised to its client, and every copy beyond the first is flagged.
     */
    @Test
    void underLoadWithFaultsEveryMessageIsReceivedOrRaisedAndEveryDuplicateFlagged() throws Exception {
        failRandomly("memory", 0.10, "unavailable", 7);
        failRandomly("memory", 0.10, "uncertain-after-accept", 7);
        failRandomly("memory-backup", 0.05, "unavailable", 11);
        failRandomly("memory-backup", 0.01, "uncertain-after-accept", 11);
        int messages = 400;
        Map<String, MailApp.Answer> answers = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
        for (int i = 0; i < messages; i++) {
            String id = "load-" + i;
            sends.add(clients.submit(() -> {
                answers.put(
                        id,
                        app.post(
                                "mailbox/send",
                                MailApp.message("load@example.org").with("id", id)));
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> send : sends) {
            send.get(5, TimeUnit.MINUTES);
        }
        clients.shutdown();

        Map<String, Long> copies = new java.util.HashMap<>();
        for (String transport : List.of("memory", "memory-backup")) {
            for (JsonObject m : mailbox(transport).getJsonArray("messages").getValuesAs(JsonObject.class)) {
                copies.merge(m.getString("mailId"), 1L, Long::sum);
            }
        }
        int delivered = 0, raised = 0, duplicated = 0, unflagged = 0;
        for (Map.Entry<String, MailApp.Answer> e : answers.entrySet()) {
            JsonObject json = e.getValue().json();
            long n = copies.getOrDefault(e.getKey(), 0L);
            boolean receipt = e.getValue().status() == 200;
            boolean flagged = receipt
                    ? json.getBoolean("possibleDuplicate")
                    : json.getString("kind").equals("UNCERTAIN");
            if (receipt) {
                delivered++;
                assertThat(n).as("copies of " + e.getKey()).isPositive();
            } else {
                raised++;
            }
            if (n > 1 || (n > 0 && !receipt)) {
                duplicated++;
                if (!flagged) {
                    unflagged++;
                }
            }
        }
        System.out.printf(
                "Routed load on the server: %d messages, delivered %d, raised %d, duplicated %d (unflagged %d)%n",
                answers.size(), delivered, raised, duplicated, unflagged);
        assertThat(answers).hasSize(messages);
        assertThat(unflagged).isZero();
        assertThat(duplicated).isPositive();
    }

    private void failRandomly(String transport, double fraction, String kind, long seed) throws Exception {
        app.post(
                "mailbox/" + transport + "/fail-randomly",
                new MailApp.Form()
                        .with("fraction", String.valueOf(fraction))
                        .with("kind", kind)
                        .with("seed", String.valueOf(seed)));
    }
}
