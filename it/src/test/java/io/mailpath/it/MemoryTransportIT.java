package io.mailpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URL;
import java.util.List;
import java.util.Map;
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
}
