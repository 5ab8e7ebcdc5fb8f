package io.mailpath.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver in a real servlet container with real CDI (Weld SE): what an application's observers get for the
 * batches Mailtarget posts, and how the receiver answers the requests it refuses.
 */
class WebhookReceiverTest {
    private WeldContainer cdi;
    private Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        startCdi(RecordingObserver.class);
        receiver = new Receiver(Receiver.keys());
    }

    @AfterEach
    void stop() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        cdi.shutdown();
    }

    private void startCdi(Class<?>... beans) {
        if (cdi != null) {
            cdi.shutdown();
        }
        cdi = new Weld().disableDiscovery().addBeanClasses(beans).initialize();
    }

    private RecordingObserver observer() {
        return cdi.select(RecordingObserver.class).get();
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    @Test
    void eachEventReachesTheObserversCorrelatedBeforeTheAnswer() throws Exception {
        HttpResponse<String> response = receiver.post(Payloads.read("mailtarget-batch.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).getInt("delivered")).isEqualTo(2);
        assertThat(observer().observed())
                .extracting(DeliveryEvent::type, DeliveryEvent::mailpathId, DeliveryEvent::recipient)
                .containsExactly(
                        tuple(DeliveryEvent.Type.INJECTED, "order-1234-receipt", "user@example.org"),
                        tuple(DeliveryEvent.Type.DELIVERED, "order-1234-receipt", "user@example.org"));
        DeliveryEvent later = observer().observedLater().poll(60, TimeUnit.SECONDS);
        DeliveryEvent later2 = observer().observedLater().poll(60, TimeUnit.SECONDS);
        assertThat(List.of(later, later2))
                .extracting(DeliveryEvent::eventId)
                .containsExactlyInAnyOrder("7301827363452872210", "7301827363452872211");
    }

    @Test
    void eachEventSaysTheStreamItsMessageWentOutOn() throws Exception {
        String batch = "{\"batchId\":\"streams\",\"retryCount\":0,\"events\":["
                + Payloads.eventInStream("s-1", "Delivery", "ann@example.org", "m-news", "marketing") + ","
                + Payloads.event("s-2", "Delivery", "bob@example.org", "m-receipt") + "]}";

        HttpResponse<String> response = receiver.post(batch);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(observer().observed())
                .extracting(DeliveryEvent::mailpathId, DeliveryEvent::stream)
                .containsExactly(tuple("m-news", "marketing"), tuple("m-receipt", "default"));
        assertThat(observer().observed().get(0).metadata()).containsEntry("orderId", "1234");
    }

    @Test
    void aRepostedBatchIsDroppedEventByEvent() throws Exception {
        String batch = Payloads.batch("repost", 0, 3);
        assertThat(receiver.post(batch).statusCode()).isEqualTo(200);

        HttpResponse<String> again = receiver.post(batch.replace("\"retryCount\":0", "\"retryCount\":1"));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).getInt("duplicates")).isEqualTo(3);
        assertThat(json(again).getInt("delivered")).isZero();
        assertThat(observer().observed())
                .extracting(DeliveryEvent::eventId)
                .containsExactly("repost-0", "repost-1", "repost-2");
    }

    @Test
    void aBounceWith550AndUserUnknownReachesTheObserversAsHard() throws Exception {
        String bounce = Payloads.event("b-1", "Bounce", "gone@example.org", "m-1")
                .replaceFirst(
                        "\\}$",
                        ",\"reason\":\"550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown\"}");

        HttpResponse<String> response = receiver.post("{\"events\":[" + bounce + "]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(observer().observed())
                .extracting(DeliveryEvent::type, DeliveryEvent::bounce)
                .containsExactly(tuple(DeliveryEvent.Type.BOUNCED, DeliveryEvent.Bounce.HARD));
    }

    @Test
    void repeatedIdsWithinABatchAreDeliveredOnce() throws Exception {
        String event = Payloads.event("same", "Open", "a@example.org", "m-1");
        HttpResponse<String> response = receiver.post("{\"events\":[" + event + "," + event + "]}");

        assertThat(json(response).getInt("delivered")).isEqualTo(1);
        assertThat(json(response).getInt("duplicates")).isEqualTo(1);
        assertThat(observer().observed()).hasSize(1);
    }

    @Test
    void eventsWithoutAnIdAreDeliveredEveryTime() throws Exception {
        String batch = "{\"events\":[{\"status\":\"Delivery\",\"recipient\":\"a@example.org\"}]}";
        receiver.post(batch);
        receiver.post(batch);

        assertThat(observer().observed()).hasSize(2);
    }

    @Test
    void aFailingObserverGets500AndTheRetryDeliversOnlyWhatFailed() throws Exception {
        observer().failingRecipients().add("user1@example.org");
        String batch = Payloads.batch("retry", 0, 3);

        HttpResponse<String> first = receiver.post(batch);

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(json(first).getInt("failed")).isEqualTo(1);
        assertThat(observer().observed()).extracting(DeliveryEvent::eventId).containsExactly("retry-0", "retry-2");

        observer().failingRecipients().clear();
        HttpResponse<String> retried = receiver.post(batch.replace("\"retryCount\":0", "\"retryCount\":1"));

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(json(retried).getInt("delivered")).isEqualTo(1);
        assertThat(json(retried).getInt("duplicates")).isEqualTo(2);
        assertThat(observer().observed())
                .extracting(DeliveryEvent::eventId, DeliveryEvent::retryCount)
                .containsExactly(tuple("retry-0", 0), tuple("retry-2", 0), tuple("retry-1", 1));
    }

    @Test
    void aRepeatArrivingWhileTheFirstIsStillObservedIsNotAcknowledged() throws Exception {
        String batch = Payloads.batch("busy", 0, 1);
        RecordingObserver.Hold hold = observer().holdNext("user0@example.org");
        CompletableFuture<HttpResponse<String>> first = receiver.postAsync(batch);
        hold.awaitEntered();

        HttpResponse<String> repeat = receiver.post(batch.replace("\"retryCount\":0", "\"retryCount\":1"));

        // Retryable: the first attempt may still fail, and then only a redelivery can deliver the event.
        assertThat(repeat.statusCode()).isEqualTo(503);
        assertThat(json(repeat).getInt("busy")).isEqualTo(1);
        hold.fail();
        assertThat(first.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
        assertThat(observer().observed()).isEmpty();

        HttpResponse<String> redelivery = receiver.post(batch.replace("\"retryCount\":0", "\"retryCount\":2"));

        assertThat(redelivery.statusCode()).isEqualTo(200);
        assertThat(json(redelivery).getInt("delivered")).isEqualTo(1);
        assertThat(observer().observed()).extracting(DeliveryEvent::eventId).containsExactly("busy-0");
    }

    @Test
    void anEventWhoseServerWentDownMidObserverIsDeliveredByTheRedeliveryToAnotherServer() throws Exception {
        receiver.close();
        startCdi(RecordingObserver.class, SharedEventIdStore.class);
        receiver = new Receiver(Receiver.keys());
        SharedEventIdStore store = cdi.select(SharedEventIdStore.class).get();
        String batch = Payloads.batch("crash", 0, 2);
        RecordingObserver.Hold hold = observer().holdNext("user0@example.org");
        try (Receiver other = new Receiver(Receiver.keys())) {
            // The first server never gets past its observer: as good as down, its request never answered.
            receiver.postAsync(batch);
            hold.awaitEntered();

            HttpResponse<String> redelivery = other.post(batch.replace("\"retryCount\":0", "\"retryCount\":1"));

            assertThat(redelivery.statusCode()).isEqualTo(200);
            assertThat(json(redelivery).getInt("delivered")).isEqualTo(2);
            assertThat(observer().observed()).extracting(DeliveryEvent::eventId).containsExactly("crash-0", "crash-1");
            assertThat(store.ids()).containsExactlyInAnyOrder("crash-0", "crash-1");
        } finally {
            hold.fail();
        }
    }

    @Test
    void wrongOrMissingCredentialsAre401AndNothingIsObserved() throws Exception {
        String batch = Payloads.batch("auth", 0, 1);
        for (String authorization : new String[] {
            Receiver.basic(Receiver.USER, "wrong"),
            Receiver.basic("someone", Receiver.PASSWORD),
            Receiver.basic(Receiver.USER, Receiver.PASSWORD + "x"),
            Receiver.basic(Receiver.USER, ""),
            "Bearer " + Receiver.PASSWORD,
            "Basic !!!not-base64",
            "Basic",
            null
        }) {
            HttpRequest.Builder request =
                    receiver.request(WebhookSettings.DEFAULT_PATH).POST(HttpRequest.BodyPublishers.ofString(batch));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }

            HttpResponse<String> response = Receiver.send(request);

            assertThat(response.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
        }
        assertThat(observer().observed()).isEmpty();
    }

    @Test
    void theSchemeIsCaseInsensitive() throws Exception {
        HttpResponse<String> response = Receiver.send(receiver.request(WebhookSettings.DEFAULT_PATH)
                .header(
                        "Authorization",
                        Receiver.basic(Receiver.USER, Receiver.PASSWORD).replace("Basic", "basic"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedBodyIs400() throws Exception {
        for (String body : List.of("{\"events\": [", "", "<xml/>", "{\"events\": \"none\"}")) {
            HttpResponse<String> response = receiver.post(body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
        }
        assertThat(observer().observed()).isEmpty();
    }

    @Test
    void anAbsurdNumberIs400() throws Exception {
        HttpResponse<String> response = receiver.post("{\"events\":[{\"eventId\":\"e1\",\"timestamp\":1e-100000000}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("error")).contains("out of range");
        assertThat(observer().observed()).isEmpty();
    }

    @Test
    void onlyPostIsAnswered() throws Exception {
        HttpResponse<String> response = Receiver.send(receiver.request(WebhookSettings.DEFAULT_PATH)
                .header("Authorization", Receiver.basic(Receiver.USER, Receiver.PASSWORD))
                .GET());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void aBodyOverTheLimitIs413WhetherDeclaredOrStreamed() throws Exception {
        receiver.close();
        Map<String, String> keys = new HashMap<>(Receiver.keys());
        keys.put(WebhookSettings.MAX_BYTES, "4096");
        receiver = new Receiver(keys);
        String fits = Payloads.batch("fits", 0, 1);
        String tooLarge = Payloads.batch("large", 0, 20);
        assertThat(fits.length()).isLessThan(4096);
        assertThat(tooLarge.length()).isGreaterThan(4096).isLessThan(16384);

        HttpResponse<String> declared = receiver.post(tooLarge);
        // No Content-Length: the body is sent in chunks and counted as it is read.
        HttpResponse<String> streamed = Receiver.send(receiver.request(WebhookSettings.DEFAULT_PATH)
                .header("Authorization", Receiver.basic(Receiver.USER, Receiver.PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(tooLarge.getBytes(StandardCharsets.UTF_8)))));
        HttpResponse<String> small = receiver.post(fits);

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(observer().observed()).extracting(DeliveryEvent::eventId).containsExactly("fits-0");
    }

    @Test
    void aHugeBatchIsDeliveredWhole() throws Exception {
        HttpResponse<String> response = receiver.post(Payloads.batch("huge", 0, 10_000));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(observer().observed()).hasSize(10_000);
    }

    @Test
    void anApplicationEventIdStoreReplacesTheDefault() throws Exception {
        receiver.close();
        startCdi(RecordingObserver.class, SharedEventIdStore.class);
        receiver = new Receiver(Receiver.keys());
        SharedEventIdStore store = cdi.select(SharedEventIdStore.class).get();
        // Another server delivered this one already.
        store.markDelivered("shared-1");

        HttpResponse<String> response = receiver.post(Payloads.batch("shared", 0, 3));

        assertThat(json(response).getInt("duplicates")).isEqualTo(1);
        assertThat(observer().observed()).extracting(DeliveryEvent::eventId).containsExactly("shared-0", "shared-2");
        assertThat(store.ids()).containsExactlyInAnyOrder("shared-0", "shared-1", "shared-2");
    }

    @Test
    void thePathIsConfigurable() throws Exception {
        receiver.close();
        Map<String, String> keys = new HashMap<>(Receiver.keys());
        keys.put(WebhookSettings.PATH, "/hooks/mailtarget");
        receiver = new Receiver(keys);

        HttpResponse<String> response = Receiver.send(receiver.request("/hooks/mailtarget")
                .header("Authorization", Receiver.basic(Receiver.USER, Receiver.PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofString(Payloads.batch("path", 0, 1))));
        HttpResponse<String> oldPath = receiver.post(Payloads.batch("old", 0, 1));

        assertThat(response.statusCode()).isEqualTo(200);
        // Jetty answers a POST to a path no servlet has with 405, other servers with 404.
        assertThat(oldPath.statusCode()).isIn(404, 405);
        assertThat(observer().observed()).extracting(DeliveryEvent::eventId).containsExactly("path-0");
    }

    @Test
    void aPathWithADotSegmentFailsTheStartNamingTheKey() throws Exception {
        receiver.close();
        receiver = null;
        Map<String, String> keys = new HashMap<>(Receiver.keys());
        keys.put(WebhookSettings.PATH, "/hooks/../mailtarget");

        assertThatThrownBy(() -> new Receiver(keys).close())
                .hasStackTraceContaining("Mailpath configuration: mailpath.webhooks.path")
                .hasStackTraceContaining("'..'");
    }

    @Test
    void aDeclaredLengthIsNotAllocatedBeforeTheBytesArrive() throws Exception {
        receiver.close();
        Map<String, String> keys = new HashMap<>(Receiver.keys());
        keys.put(WebhookSettings.MAX_BYTES, String.valueOf(1024L * 1024 * 1024));
        receiver = new Receiver(keys);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long declared = 512L * 1024 * 1024;
        long allocatedBefore = allocatedByLiveThreads(threads);

        // A client that declares half a gigabyte, sends a few bytes and stops: the request fails at the early end.
        try (Socket socket = new Socket(receiver.base.getHost(), receiver.base.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + receiver.base.getPath() + WebhookSettings.DEFAULT_PATH + " HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Authorization: " + Receiver.basic(Receiver.USER, Receiver.PASSWORD) + "\r\n"
                            + "Content-Length: " + declared + "\r\n\r\n{\"events\": [")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            // The server has handled the request once it answered and closed, whatever it answered.
            socket.getInputStream().readAllBytes();
        }

        long allocated = allocatedByLiveThreads(threads) - allocatedBefore;
        assertThat(allocated).isLessThan(declared / 4);
    }

    /**
     * Bytes allocated so far by the threads alive now (the receiver's workers stay alive between requests). Java 17's
     * API has no JVM-wide total.
     */
    private static long allocatedByLiveThreads(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(bytes, 0);
        }
        return sum;
    }

    @Test
    void anEmptyOrMissingSecretFailsTheStartNamingTheKey() throws Exception {
        receiver.close();
        receiver = null;
        Map<String, String> empty = new HashMap<>(Receiver.keys());
        empty.put(WebhookSettings.PASSWORD, "");
        Map<String, String> missing = Map.of(WebhookSettings.USERNAME, Receiver.USER);

        for (Map<String, String> keys : List.of(empty, missing)) {
            assertThatThrownBy(() -> new Receiver(keys).close())
                    .hasStackTraceContaining("Mailpath configuration: mailpath.webhooks.password is required")
                    .hasStackTraceContaining("mailpath.webhooks.enabled=false");
        }
    }

    @Test
    void aDisabledReceiverNeedsNoSecretAndListensNowhere() throws Exception {
        receiver.close();
        receiver = new Receiver(Map.of(WebhookSettings.ENABLED, "false"));

        HttpResponse<String> response = receiver.post(Payloads.batch("off", 0, 1));

        assertThat(response.statusCode()).isIn(404, 405);
        assertThat(observer().observed()).isEmpty();
    }
}
