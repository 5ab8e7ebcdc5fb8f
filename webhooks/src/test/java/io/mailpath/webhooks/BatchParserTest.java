package io.mailpath.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.spi.JsonProvider;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mailtarget's batch, as documented and as it may drift: every status, missing fields, numbers as strings. */
class BatchParserTest {
    private final BatchParser parser = new BatchParser(JsonProvider.provider());

    private WebhookBatch parse(String json) throws MalformedBatchException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDocumentedBatchIsReadAndCorrelated() throws Exception {
        WebhookBatch batch = parse(Payloads.read("mailtarget-batch.json"));

        assertThat(batch.skipped()).isZero();
        assertThat(batch.events()).hasSize(2);
        DeliveryEvent delivery = batch.events().get(1);
        assertThat(delivery.type()).isEqualTo(DeliveryEvent.Type.DELIVERED);
        assertThat(delivery.bounce()).isNull();
        assertThat(delivery.status()).isEqualTo("Delivery");
        assertThat(delivery.eventId()).isEqualTo("7301827363452872211");
        assertThat(delivery.mailpathId()).isEqualTo("order-1234-receipt");
        assertThat(delivery.messageId()).isEqualTo("00023d0f8a65e4b2a0f5");
        assertThat(delivery.transmissionId()).isEqualTo("tx-84d2c1");
        assertThat(delivery.recipient()).isEqualTo("user@example.org");
        assertThat(delivery.metadata())
                .containsEntry("orderId", "1234")
                .containsEntry("mailpath_id", "order-1234-receipt");
        assertThat(delivery.timestamp()).isEqualTo(Instant.ofEpochMilli(1763803812345L));
        assertThat(delivery.batchId()).isEqualTo("b5a7e9f0-6b1c-4c5e-9d1f-2f0c1a7e3d21");
        assertThat(delivery.retryCount()).isEqualTo(2);
        // The raw event keeps what Mailpath does not map.
        assertThat(delivery.raw().getString("mailboxProvider")).isEqualTo("Gmail");
        assertThat(delivery.raw().getString("sendingIp")).isEqualTo("192.0.2.10");
    }

    @ParameterizedTest
    @CsvSource({
        "Injection, INJECTED, ",
        "injection, INJECTED, ",
        "Delivery, DELIVERED, ",
        "Delay, DELAYED, ",
        "Bounce, BOUNCED, UNKNOWN",
        "bounce, BOUNCED, UNKNOWN",
        "hard_bounce, BOUNCED, HARD",
        "soft_bounce, BOUNCED, SOFT",
        "Soft Bounce, BOUNCED, SOFT",
        "softBounce, BOUNCED, SOFT",
        "Open, OPENED, ",
        "initial_open, OPENED, ",
        "Click, CLICKED, ",
        "complaint, COMPLAINED, ",
        "spam_complaint, COMPLAINED, ",
        "unsubscribe, UNSUBSCRIBED, ",
        "list_unsubscribe, UNSUBSCRIBED, ",
        "link_unsubscribe, UNSUBSCRIBED, ",
        "out_of_band, OUT_OF_BAND, ",
        "Out-of-band, OUT_OF_BAND, ",
        "generation_failure, OTHER, ",
        "policy_rejection, OTHER, ",
    })
    void everyStatusIsNormalisedAndKeptAsSent(String status, DeliveryEvent.Type type, DeliveryEvent.Bounce bounce)
            throws Exception {
        DeliveryEvent event = parse("{\"events\":[{\"status\":\"" + status + "\",\"eventId\":\"e1\"}]}")
                .events()
                .get(0);

        assertThat(event.type()).isEqualTo(type);
        assertThat(event.bounce()).isEqualTo(bounce);
        assertThat(event.status()).isEqualTo(status);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Bounce | \"reason\": \"550 5.1.1 <user@example.org>: Recipient address rejected: User unknown\" | HARD",
                "Bounce | \"reason\": \"452 4.2.2 Mailbox full\" | SOFT",
                "Bounce | \"reason\": \"550 4.7.1 Try again later\" | SOFT",
                "Bounce | \"reason\": \"451 5.7.1 Rejected by policy\" | HARD",
                "Bounce | \"reason\": \"554 Message refused\" | HARD",
                "Bounce | \"reason\": \"421 Service not available\" | SOFT",
                "Bounce | \"rawReason\": \"smtp; 550 5.1.1 User unknown\" | HARD",
                "Bounce | \"raw_reason\": \"smtp; 450 4.2.0 Try later\" | SOFT",
                "Bounce | \"errorCode\": \"550\" | HARD",
                "Bounce | \"error_code\": 421 | SOFT",
                "Bounce | \"reason\": \"refused by 10.5.1.1\" | UNKNOWN",
                "Bounce | \"reason\": \"mailbox unavailable\" | UNKNOWN",
                "Bounce | \"reason\": \"250 2.0.0 OK\" | UNKNOWN",
                "Bounce | \"other\": 1 | UNKNOWN",
                "soft_bounce | \"reason\": \"550 5.1.1 User unknown\" | SOFT",
                "hard_bounce | \"reason\": \"452 4.2.2 Mailbox full\" | HARD",
            })
    void aBounceWithoutAClassIsClassifiedByItsStatusCode(String status, String reason, DeliveryEvent.Bounce bounce)
            throws Exception {
        DeliveryEvent event = parse("{\"events\":[{\"status\":\"" + status + "\",\"eventId\":\"e1\"," + reason + "}]}")
                .events()
                .get(0);

        assertThat(event.bounce()).isEqualTo(bounce);
    }

    @Test
    void anEventWithNoFieldsIsDeliveredAsOtherWithNulls() throws Exception {
        DeliveryEvent event = parse("{\"events\":[{}]}").events().get(0);

        assertThat(event.type()).isEqualTo(DeliveryEvent.Type.OTHER);
        assertThat(event.status()).isEmpty();
        assertThat(event.eventId()).isNull();
        assertThat(event.mailpathId()).isNull();
        assertThat(event.messageId()).isNull();
        assertThat(event.recipient()).isNull();
        assertThat(event.timestamp()).isNull();
        assertThat(event.metadata()).isEmpty();
        assertThat(event.batchId()).isNull();
        assertThat(event.retryCount()).isZero();
        assertThat(event.raw()).isEmpty();
    }

    @Test
    void numbersMayComeAsStringsAndStringsAsNumbers() throws Exception {
        WebhookBatch batch = parse(
                """
                {"batchId": 991, "retryCount": "3", "events": [
                  {"status": "Delivery", "eventId": 12345678901234567890, "messageId": 42,
                   "timestamp": "1763803812345", "recipientMeta": "{\\"mailpath_id\\":\\"m-1\\",\\"attempt\\":2}"}
                ]}
                """);
        DeliveryEvent event = batch.events().get(0);

        assertThat(event.batchId()).isEqualTo("991");
        assertThat(event.retryCount()).isEqualTo(3);
        assertThat(event.eventId()).isEqualTo("12345678901234567890");
        assertThat(event.messageId()).isEqualTo("42");
        assertThat(event.timestamp()).isEqualTo(Instant.ofEpochMilli(1763803812345L));
        assertThat(event.mailpathId()).isEqualTo("m-1");
        assertThat(event.metadata()).containsEntry("attempt", "2");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "1763803812345 | 2025-11-22T09:30:12.345Z",
                "\"1763803812345\" | 2025-11-22T09:30:12.345Z",
                "1763803812 | 2025-11-22T09:30:12Z",
                "\"1763803812.5\" | 2025-11-22T09:30:12.500Z",
                "\"2025-11-22T09:30:12.345Z\" | 2025-11-22T09:30:12.345Z",
                "\"2025-11-22T16:30:12+07:00\" | 2025-11-22T09:30:12Z",
                "\"yesterday\" | ",
                "1e400 | ",
                "\"\" | ",
                "true | ",
                "{} | ",
            })
    void timestampsAreMillisecondsSecondsOrIsoDates(String json, Instant expected) throws Exception {
        DeliveryEvent event =
                parse("{\"events\":[{\"timestamp\":" + json + "}]}").events().get(0);

        assertThat(event.timestamp()).isEqualTo(expected);
    }

    @Test
    void aNumberOutOfRangeMakesTheBatchMalformed() {
        String longNumber = "1." + "0".repeat(200_000) + "1";
        for (String body : List.of(
                "{\"events\":[{\"eventId\":\"e1\",\"timestamp\":1e-100000000}]}",
                "{\"events\":[{\"eventId\":\"e1\",\"timestamp\":-1E+100000000}]}",
                "{\"retryCount\":1e-100000000,\"events\":[]}",
                "{\"events\":[{\"eventId\":\"e1\",\"unknown\":" + longNumber + "}]}",
                "{\"events\":[{\"eventId\":" + "9".repeat(200_000) + "}]}")) {
            assertThatThrownBy(() -> parse(body))
                    .as(body.length() > 100 ? body.substring(0, 100) : body)
                    .isInstanceOf(MalformedBatchException.class)
                    .hasMessageContaining("out of range");
        }
    }

    @Test
    void numbersOfAnyReasonableSizeAreRead() throws Exception {
        DeliveryEvent event = parse(
                        """
                        {"retryCount": 2.0E0, "events": [{"eventId": 340282366920938463463374607431768211455,
                         "timestamp": 1.763803812345e12, "tiny": 1e-999, "large": -1E+999}]}
                        """)
                .events()
                .get(0);

        assertThat(event.retryCount()).isEqualTo(2);
        assertThat(event.eventId()).isEqualTo("340282366920938463463374607431768211455");
        assertThat(event.timestamp()).isEqualTo(Instant.ofEpochMilli(1763803812345L));
    }

    @Test
    void metadataWithANumberOutOfRangeIsUnreadable() throws Exception {
        DeliveryEvent event = parse("{\"events\":[{\"eventId\":\"e1\",\"recipientMeta\":"
                        + "\"{\\\"mailpath_id\\\":\\\"m-1\\\",\\\"n\\\":1e-100000000}\"}]}")
                .events()
                .get(0);

        assertThat(event.metadata()).isEmpty();
    }

    @Test
    void recipientMetaMayBeAnObjectAndIsIgnoredWhenUnreadable() throws Exception {
        List<DeliveryEvent> events = parse(
                        """
                        {"events": [
                          {"eventId": "a", "recipientMeta": {"mailpath_id": "m-2", "n": 7, "nested": {"x": 1}}},
                          {"eventId": "b", "recipientMeta": "{not json"},
                          {"eventId": "c", "recipientMeta": "[1, 2]"},
                          {"eventId": "d", "recipientMeta": ""},
                          {"eventId": "e", "recipientMeta": null}
                        ]}
                        """)
                .events();

        assertThat(events.get(0).mailpathId()).isEqualTo("m-2");
        assertThat(events.get(0).metadata()).containsOnlyKeys("mailpath_id", "n");
        assertThat(events.subList(1, 5)).allSatisfy(e -> {
            assertThat(e.metadata()).isEmpty();
            assertThat(e.mailpathId()).isNull();
        });
    }

    @Test
    void theStreamIsTheOneInTheMetadataAndTheUnnamedOneWithout() throws Exception {
        List<DeliveryEvent> events = parse(
                        """
                        {"events": [
                          {"eventId": "a", "recipientMeta": "{\\"mailpath_id\\":\\"m-1\\",\\"mailpath_stream\\":\\"marketing\\"}"},
                          {"eventId": "b", "recipientMeta": {"mailpath_id": "m-2", "mailpath_stream": "transactional"}},
                          {"eventId": "c", "recipientMeta": {"mailpath_id": "m-3"}},
                          {"eventId": "d", "recipientMeta": {"mailpath_id": "m-4", "mailpath_stream": " "}},
                          {"eventId": "e"}
                        ]}
                        """)
                .events();

        assertThat(events)
                .extracting(DeliveryEvent::stream)
                .containsExactly("marketing", "transactional", "default", "default", "default");
    }

    @Test
    void unknownFieldsAreIgnoredAndEntriesThatAreNotEventsPassedOver() throws Exception {
        WebhookBatch batch = parse(
                """
                {"batchId": "b", "schemaVersion": 9, "signature": {"alg": "none"},
                 "events": [{"status": "Open", "eventId": "o1", "userAgent": "x", "geo": {"city": "Bandung"}},
                            "not an event", 17, null, [], {"status": "Click", "eventId": "c1"}]}
                """);

        assertThat(batch.events()).extracting(DeliveryEvent::eventId).containsExactly("o1", "c1");
        assertThat(batch.skipped()).isEqualTo(4);
    }

    @Test
    void aBatchWithoutEventsOrATopLevelArrayIsRead() throws Exception {
        assertThat(parse("{}").events()).isEmpty();
        assertThat(parse("{\"batchId\":\"ping\",\"events\":null}").events()).isEmpty();
        assertThat(parse("[{\"status\":\"Delivery\",\"eventId\":\"x\"}]").events())
                .extracting(DeliveryEvent::type)
                .containsExactly(DeliveryEvent.Type.DELIVERED);
    }

    @Test
    void aBodyThatIsNotABatchIsRefusedWithoutQuotingIt() {
        for (String body : List.of(
                "", "   ", "{", "{\"events\": [", "not json", "\"secret-looking text\"", "42", "{\"events\": {}}")) {
            assertThatThrownBy(() -> parse(body))
                    .as(body)
                    .isInstanceOf(MalformedBatchException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        }
    }

    @Test
    void aHugeBatchIsReadWhole() throws Exception {
        String batch = Payloads.batch("huge", 0, 20_000);

        List<DeliveryEvent> events = parse(batch).events();

        assertThat(events).hasSize(20_000);
        assertThat(events.get(19_999).eventId()).isEqualTo("huge-19999");
        assertThat(events.get(19_999).mailpathId()).isEqualTo("mail-19999");
    }

    @Test
    void toStringShowsIdsOnly() throws Exception {
        DeliveryEvent event =
                parse(Payloads.read("mailtarget-batch.json")).events().get(1);

        assertThat(event.toString())
                .contains("7301827363452872211", "order-1234-receipt")
                .doesNotContain("user@example.org", "1234\"", "Gmail");
    }
}
