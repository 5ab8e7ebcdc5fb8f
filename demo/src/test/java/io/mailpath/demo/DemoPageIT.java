package io.mailpath.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page on Open Liberty, driven in headless Chromium (Debian's chromium and chromium-driver): a message
 * through the API and the delivery webhooks the stand-in posts back for it, then through SMTP when the API answers
 * 503, then a rejection when it answers 400, then a bounce for the stand-in's bounce address; and the panel of paths
 * and health, whose counters follow a delivery and a failover and whose JSON is the server's readiness report, and
 * Mailpath's failover metric in what the server's OpenTelemetry exported; and the outbox panel, where a committed
 * enqueue is delivered once and a rolled-back one leaves no row and reaches no peer; and the Streams panel, where a
 * revoked marketing key fails newsletters with an authentication error while password resets still go out; and the
 * webhook receiver refusing a wrong password on a server with Jakarta EE 11's application security.
 */
class DemoPageIT {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void openBrowser() throws Exception {
        assertThat(new File(CHROMIUM))
                .as("Debian package chromium (.ci/run installs it)")
                .exists();
        assertThat(new File(CHROMEDRIVER))
                .as("Debian package chromium-driver (.ci/run installs it)")
                .exists();
        Path profile = Files.createTempDirectory(Path.of(System.getProperty("screenshot.dir")), "chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1600",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static void send(String mode, String subject) {
        send(mode, "someone@example.org", subject);
    }

    private static void send(String mode, String to, String subject) {
        new Select(browser.findElement(By.id("mode"))).selectByValue(mode);
        WebElement recipient = browser.findElement(By.id("to"));
        recipient.clear();
        recipient.sendKeys(to);
        WebElement field = browser.findElement(By.id("subject"));
        field.clear();
        field.sendKeys(subject);
        browser.findElement(By.id("send")).click();
    }

    private static void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(Path.of(System.getProperty("screenshot.dir"), name), png);
    }

    private static int count(String listId) {
        return browser.findElements(By.cssSelector("#" + listId + " li")).size();
    }

    /** One delivery event as the page shows it. */
    private record ShownEvent(String type, String mailId, String transmissionId, String text) {}

    /** The delivery events shown next to the receipt; the page redraws them while it polls, so read them whole. */
    private static List<ShownEvent> shownEvents() {
        return new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#delivery-events li")).stream()
                        .map(li -> new ShownEvent(
                                li.getAttribute("data-type"),
                                li.findElement(By.className("event-mail-id")).getText(),
                                li.findElement(By.className("event-transmission-id"))
                                        .getText(),
                                li.getText()))
                        .toList());
    }

    /** Waits until the page shows an event of the type, then returns every event it shows. */
    private static List<ShownEvent> awaitEvent(String type) {
        wait.until(d -> shownEvents().stream().anyMatch(e -> e.type().equals(type)));
        return shownEvents();
    }

    /** One path's row in the panel. */
    private record PathCounters(String state, long attempts, long failures, long delivered) {}

    /**
     * The panel's rows by path, once it shows both paths and they satisfy the condition; the page redraws them, so read
     * them whole.
     */
    private static Map<String, PathCounters> awaitPanel(Predicate<Map<String, PathCounters>> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    Map<String, PathCounters> rows = d.findElements(By.cssSelector("#path-counters tbody tr")).stream()
                            .collect(Collectors.toMap(
                                    tr -> tr.getAttribute("data-path"),
                                    tr -> new PathCounters(
                                            tr.findElement(By.className("state"))
                                                    .getText(),
                                            number(tr, "attempts"),
                                            number(tr, "failures"),
                                            number(tr, "delivered"))));
                    boolean bothPaths = rows.containsKey("api") && rows.containsKey("smtp");
                    return bothPaths && condition.test(rows) ? rows : null;
                });
    }

    private static long number(WebElement row, String column) {
        return Long.parseLong(row.findElement(By.className(column)).getText());
    }

    /** The file as it is now; a line being written may be cut, so no strict decoding. */
    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many attempts through the transport the receipt on the page lists. */
    private static long receiptAttempts(String transport) {
        return browser.findElements(By.cssSelector("#receipt table.attempts tr td:first-child")).stream()
                .filter(td -> td.getText().equals(transport))
                .count();
    }

    /** Tells the stand-in API how to answer, without the page. */
    private static void standInAnswers(String mode) throws Exception {
        URI demo = URI.create(System.getProperty("demo.url"));
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(demo.resolve("api/demo/stand-in/mode/" + mode))
                                .PUT(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    /** Sends a message the way the page does, but without the page: the panel learns of it only when asked. */
    private static void sendBehindThePage(String subject) throws Exception {
        URI demo = URI.create(System.getProperty("demo.url"));
        HttpClient http = HttpClient.newHttpClient();
        standInAnswers("OK");
        HttpResponse<String> sent = http.send(
                HttpRequest.newBuilder(demo.resolve("api/demo/send"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"someone@example.org\",\"subject\":\""
                                + subject + "\",\"text\":\"Sent behind the page.\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(sent.body()).contains("\"transport\":\"api\"");
    }

    /**
     * Enqueues the composed message through the Outbox panel, in a transaction the server commits or rolls back as the
     * button says, and returns the mail id the page answered.
     */
    private static String enqueue(String mode, String subject, String button, String outcome) {
        new Select(browser.findElement(By.id("mode"))).selectByValue(mode);
        WebElement field = browser.findElement(By.id("subject"));
        field.clear();
        field.sendKeys(subject);
        browser.findElement(By.id(button)).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("outbox-result"), "data-outcome", outcome));
        String mailId = browser.findElement(By.id("outbox-mail-id")).getText();
        assertThat(mailId).isNotBlank();
        return mailId;
    }

    /** One row of the outbox table as the page shows it. */
    private record OutboxRow(String state, String attempts, String transport, String correlation, String lastError) {}

    /** The outbox table's row of a mail once it is in the state; the relay works after the commit, so wait for it. */
    private static OutboxRow awaitOutboxRow(String mailId, String state) {
        return new WebDriverWait(browser, Duration.ofSeconds(60))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    List<WebElement> rows = d.findElements(By.cssSelector("#outbox-entries tbody tr")).stream()
                            .filter(tr -> mailId.equals(tr.getAttribute("data-id")))
                            .toList();
                    if (rows.isEmpty() || !state.equals(rows.get(0).getAttribute("data-state"))) {
                        d.findElement(By.id("outbox-refresh")).click();
                        return null;
                    }
                    WebElement row = rows.get(0);
                    return new OutboxRow(
                            row.findElement(By.className("state")).getText(),
                            row.findElement(By.className("attempts")).getText(),
                            row.findElement(By.className("transport")).getText(),
                            row.findElement(By.className("correlation")).getText(),
                            row.findElement(By.className("last-error")).getText());
                });
    }

    /** How many of the requests the stand-in API received mention the text, as the page lists them now. */
    private static long standInRequestsMentioning(String text) {
        return new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#api-received li")).stream()
                        .filter(li -> li.getText().contains(text))
                        .count());
    }

    /** One row of the Streams panel as the page shows it. */
    private record StreamSend(String stream, String outcome, String what, String detail) {}

    /** Clicks one of the Streams panel's buttons and returns the row the send added on top. */
    private static StreamSend sendInStream(String button) {
        int before =
                browser.findElements(By.cssSelector("#stream-sends tbody tr")).size();
        wait.until(ExpectedConditions.elementToBeClickable(By.id(button))).click();
        return new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    List<WebElement> rows = d.findElements(By.cssSelector("#stream-sends tbody tr"));
                    if (rows.size() <= before) {
                        return null;
                    }
                    WebElement top = rows.get(0);
                    return new StreamSend(
                            top.getAttribute("data-stream"),
                            top.getAttribute("data-outcome"),
                            top.findElement(By.className("what")).getText(),
                            top.findElement(By.className("detail")).getText());
                });
    }

    /**
     * The server enables Jakarta EE 11's application security (jakartaee-11.0) and is told to leave the credentials of
     * requests to unprotected URLs alone: the webhook receiver checks them itself, and refuses a wrong or missing
     * password with 401, as on a server without application security.
     */
    @Test
    void theWebhookReceiverRefusesWrongCredentialsBesideTheServersApplicationSecurity() throws Exception {
        URI receiver = URI.create(System.getProperty("demo.url")).resolve("mailpath/webhooks");
        HttpClient http = HttpClient.newHttpClient();
        String wrong =
                Base64.getEncoder().encodeToString("demo-webhooks:not-the-password".getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder batch = HttpRequest.newBuilder(receiver)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[]"));

        HttpResponse<String> withWrongPassword = http.send(
                batch.copy().header("Authorization", "Basic " + wrong).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> withoutCredentials = http.send(batch.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(withWrongPassword.statusCode()).isEqualTo(401);
        assertThat(withoutCredentials.statusCode()).isEqualTo(401);
    }

    /**
     * Ticks or clears the switch that revokes the marketing key, and waits until the stand-in applied it (the page
     * marks what the stand-in does: read from it on load, set once it answered a click).
     */
    private static void marketingKeyRevoked(boolean revoked) {
        WebElement box = browser.findElement(By.id("marketing-key-revoked"));
        if (box.isSelected() != revoked) {
            box.click();
        }
        wait.until(ExpectedConditions.attributeToBe(box, "data-applied", String.valueOf(revoked)));
    }

    @Test
    void aRevokedMarketingKeyFailsNewslettersWhilePasswordResetsStillGoOut() throws Exception {
        browser.get(System.getProperty("demo.url"));
        new Select(browser.findElement(By.id("mode"))).selectByValue("OK");
        WebElement recipient = browser.findElement(By.id("to"));
        recipient.clear();
        recipient.sendKeys("reader@example.org");
        browser.findElement(By.id("clear")).click();
        wait.until(d -> count("api-received") == 0);
        marketingKeyRevoked(false);

        // Both streams deliver through the API, each on its own key.
        assertThat(sendInStream("send-newsletter")).satisfies(s -> {
            assertThat(s.stream()).isEqualTo("marketing");
            assertThat(s.outcome()).isEqualTo("sent");
            assertThat(s.what()).isEqualTo("api");
        });
        assertThat(sendInStream("send-reset")).satisfies(s -> {
            assertThat(s.stream()).isEqualTo("transactional");
            assertThat(s.outcome()).isEqualTo("sent");
            assertThat(s.what()).isEqualTo("api");
        });
        wait.until(d -> count("api-received") == 2);
        assertThat(browser.findElement(By.id("api-received")).getText())
                .contains("Bearer **** (marketing key)")
                .contains("Bearer **** (transactional key)")
                .contains("This week's news")
                .contains("Reset your password");

        // The marketing key revoked: newsletters fail with an authentication error and are not sent through SMTP;
        // password resets still go out through the API, on their own key, without failing over.
        marketingKeyRevoked(true);
        StreamSend newsletter = sendInStream("send-newsletter");
        assertThat(newsletter.stream()).isEqualTo("marketing");
        assertThat(newsletter.outcome()).isEqualTo("failed");
        assertThat(newsletter.what()).isEqualTo("MailAuthenticationException (AUTHENTICATION)");
        assertThat(newsletter.detail()).startsWith("401").doesNotContain("demo-marketing-key");
        StreamSend reset = sendInStream("send-reset");
        assertThat(reset.stream()).isEqualTo("transactional");
        assertThat(reset.outcome()).isEqualTo("sent");
        assertThat(reset.what()).isEqualTo("api");
        assertThat(reset.detail()).isNotBlank();
        wait.until(d -> count("api-received") == 4);
        assertThat(browser.findElement(By.cssSelector("#api-received li")).getText())
                .startsWith("200")
                .contains("(transactional key)");
        assertThat(browser.findElement(By.id("smtp-received")).getText()).doesNotContain("This week's news");
        ((JavascriptExecutor) browser)
                .executeScript("arguments[0].scrollIntoView()", browser.findElement(By.id("streams")));
        screenshot("demo-8-streams.png");

        // The key valid again: newsletters go out.
        marketingKeyRevoked(false);
        assertThat(sendInStream("send-newsletter").outcome()).isEqualTo("sent");
    }

    @Test
    void theOutboxSendsWhatCommitsAndNothingOfWhatRollsBack() throws Exception {
        browser.get(System.getProperty("demo.url"));

        String committed = enqueue("OK", "Through the outbox", "outbox-commit", "COMMITTED");
        OutboxRow delivered = awaitOutboxRow(committed, "DELIVERED");
        assertThat(delivered.transport()).isEqualTo("api");
        assertThat(delivered.attempts()).isEqualTo("1");
        assertThat(delivered.correlation()).isNotBlank();
        wait.until(d -> {
            d.findElement(By.id("refresh")).click();
            return standInRequestsMentioning(committed) > 0;
        });
        assertThat(standInRequestsMentioning(committed)).isEqualTo(1);
        assertThat(browser.findElement(By.id("api-received")).getText()).contains("Through the outbox");
        screenshot("demo-5-outbox-committed.png");

        String rolledBack = enqueue("OK", "Rolled back in the outbox", "outbox-rollback", "ROLLED_BACK");
        assertThat(rolledBack).isNotEqualTo(committed);
        // A later committed mail is delivered and received first, so the rolled-back one had every chance to go out.
        String later = enqueue("OK", "Committed after the rollback", "outbox-commit", "COMMITTED");
        awaitOutboxRow(later, "DELIVERED");
        wait.until(d -> {
            d.findElement(By.id("refresh")).click();
            return standInRequestsMentioning(later) == 1;
        });
        assertThat(browser.findElements(By.cssSelector("#outbox-entries tbody tr")).stream()
                        .map(tr -> tr.getAttribute("data-id")))
                .contains(committed, later)
                .doesNotContain(rolledBack);
        assertThat(standInRequestsMentioning(rolledBack)).isZero();
        assertThat(browser.findElement(By.id("smtp-received")).getText()).doesNotContain(rolledBack);
        screenshot("demo-6-outbox-rolled-back.png");

        // The API unavailable: the relay's routed send fails over to SMTP. The API rejects: the entry dies at once.
        String failedOver = enqueue("UNAVAILABLE_503", "Outbox through SMTP", "outbox-commit", "COMMITTED");
        assertThat(awaitOutboxRow(failedOver, "DELIVERED").transport()).isEqualTo("smtp");
        String rejected = enqueue("BAD_REQUEST_400", "Outbox rejected", "outbox-commit", "COMMITTED");
        OutboxRow dead = awaitOutboxRow(rejected, "DEAD");
        assertThat(dead.lastError()).startsWith("REJECTED").contains("400");
        assertThat(dead.transport()).isEmpty();
        ((JavascriptExecutor) browser)
                .executeScript("arguments[0].scrollIntoView()", browser.findElement(By.id("outbox")));
        screenshot("demo-7-outbox-rows.png");
        standInAnswers("OK"); // for the canary, which the other tests see delivered
    }

    @Test
    void thePanelCountsEachPathAndShowsTheReadinessReport() throws Exception {
        browser.get(System.getProperty("demo.url"));
        // Counters only grow and the other test may have sent first: compare with what the panel showed before.
        Map<String, PathCounters> before = awaitPanel(p -> true);
        PathCounters api0 = before.get("api");
        PathCounters smtp0 = before.get("smtp");

        send("OK", "Counted through the API");
        wait.until(ExpectedConditions.textToBe(By.id("delivered-by"), "api"));
        Map<String, PathCounters> afterApi = awaitPanel(p -> p.get("api").attempts() > api0.attempts());
        assertThat(afterApi.get("api"))
                .isEqualTo(new PathCounters("UP", api0.attempts() + 1, api0.failures(), api0.delivered() + 1));
        assertThat(afterApi.get("smtp")).isEqualTo(smtp0);
        PathCounters api1 = afterApi.get("api");

        send("UNAVAILABLE_503", "Counted as a failover");
        wait.until(ExpectedConditions.textToBe(By.id("delivered-by"), "smtp"));
        long apiTries = receiptAttempts("api");
        assertThat(apiTries).isPositive();
        Map<String, PathCounters> afterFailover = awaitPanel(p -> p.get("smtp").attempts() > smtp0.attempts());
        // Every API attempt failed (503, retried), then SMTP delivered: readiness stays UP on the path that works.
        assertThat(afterFailover.get("api"))
                .isEqualTo(new PathCounters(
                        "DOWN", api1.attempts() + apiTries, api1.failures() + apiTries, api1.delivered()));
        assertThat(afterFailover.get("smtp"))
                .isEqualTo(new PathCounters("UP", smtp0.attempts() + 1, smtp0.failures(), smtp0.delivered() + 1));
        assertThat(browser.findElement(By.id("health-status")).getText()).isEqualTo("UP");
        String report = browser.findElement(By.id("health-json")).getText();
        assertThat(report)
                .startsWith("{")
                .contains("\"status\": \"UP\"")
                .contains("\"name\": \"mailpath\"")
                .contains("\"transports\": \"api,smtp\"")
                .contains("\"api.state\": \"DOWN\"")
                .contains("\"api.last-failure.kind\": \"UNAVAILABLE\"")
                .contains("\"smtp.state\": \"UP\"")
                .contains("\"smtp.pool.max\"");
        assertThat(browser.findElement(By.cssSelector("#path-counters tr[data-path=api]"))
                        .getText())
                .contains("last-failure.kind")
                .contains("UNAVAILABLE");
        ((JavascriptExecutor) browser)
                .executeScript("arguments[0].scrollIntoView()", browser.findElement(By.id("paths")));
        screenshot("demo-4-panel.png");

        // mailpath-telemetry works on the demo's Liberty: this test server exports metrics to its log (see the pom).
        Path serverLog = Path.of(System.getProperty("demo.server.log"));
        wait.until(d -> read(serverLog).contains("name=mailpath.send.failovers"));

        // A send the page did not make shows once the panel's Refresh button reads the report again.
        sendBehindThePage("Sent behind the page");
        assertThat(awaitPanel(p -> true).get("api")).isEqualTo(afterFailover.get("api"));
        browser.findElement(By.id("health-refresh")).click();
        Map<String, PathCounters> refreshed = awaitPanel(
                p -> p.get("api").attempts() > afterFailover.get("api").attempts());
        assertThat(refreshed.get("api").delivered()).isEqualTo(api1.delivered() + 1);
        assertThat(refreshed.get("api").state()).isEqualTo("UP");

        // The canary (every 2 s on this test server) goes through the API alone, and the stand-in's webhook reports its
        // delivery: the panel shows it once refreshed. The canary's sends count in neither path's routed counters.
        String apiRow = new WebDriverWait(browser, Duration.ofSeconds(60))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    d.findElement(By.id("health-refresh")).click();
                    String row = d.findElement(By.cssSelector("#path-counters tr[data-path=api]"))
                            .getText();
                    return row.contains("canary.last-delivered.id") ? row : null;
                });
        assertThat(apiRow).contains("mailpath-canary-");
        assertThat(browser.findElement(By.id("health-json")).getText()).contains("\"api.canary.last-delivered\"");
        assertThat(awaitPanel(p -> true).get("api").attempts())
                .isEqualTo(refreshed.get("api").attempts());
    }

    @Test
    void sendsThroughTheApiAndSeesItsWebhooksThenFailsOverThenIsRejectedThenBounces() throws Exception {
        browser.get(System.getProperty("demo.url"));
        browser.findElement(By.id("clear")).click();
        wait.until(d -> count("api-received") == 0 && count("smtp-received") == 0);

        send("OK", "Through the API");
        wait.until(ExpectedConditions.textToBe(By.id("delivered-by"), "api"));
        assertThat(browser.findElement(By.id("correlation-id")).getText()).isNotBlank();
        assertThat(browser.findElements(By.id("failed-over"))).isEmpty();
        String transmissionId = browser.findElement(By.id("correlation-id")).getText();
        String mailId = browser.findElement(By.id("mail-id")).getText();
        assertThat(awaitEvent("DELIVERED"))
                .extracting(ShownEvent::type, ShownEvent::mailId, ShownEvent::transmissionId)
                .containsExactly(tuple("INJECTED", mailId, transmissionId), tuple("DELIVERED", mailId, transmissionId));
        assertThat(shownEvents().get(1).text()).contains("someone@example.org");
        wait.until(d -> count("api-received") == 1);
        assertThat(browser.findElement(By.id("api-received")).getText())
                .contains("200")
                .contains("Through the API")
                .contains("Bearer ****");
        screenshot("demo-1-api.png");

        send("UNAVAILABLE_503", "Failed over to SMTP");
        wait.until(ExpectedConditions.textToBe(By.id("delivered-by"), "smtp"));
        assertThat(browser.findElement(By.id("failed-over")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("correlation-id")).getText())
                .startsWith("<")
                .endsWith(">");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deliveries-status"), "sends no webhooks"));
        assertThat(shownEvents()).isEmpty();
        wait.until(d -> count("smtp-received") == 1);
        assertThat(browser.findElement(By.id("smtp-received")).getText())
                .contains("Subject: Failed over to SMTP")
                .contains("RCPT TO someone@example.org");
        screenshot("demo-2-smtp.png");

        send("BAD_REQUEST_400", "Rejected");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(browser.findElement(By.id("error-type")).getText()).contains("MailRejectedException");
        assertThat(browser.findElement(By.id("error-message")).getText()).contains("HTTP 400");
        assertThat(browser.findElement(By.id("receipt")).isDisplayed()).isFalse();
        assertThat(browser.getPageSource()).doesNotContain("at io.mailpath");
        wait.until(d -> count("api-received") == 5);
        assertThat(count("smtp-received")).isEqualTo(1);
        screenshot("demo-3-rejected.png");

        send("OK", "bounce@example.org", "Bounces");
        wait.until(ExpectedConditions.textToBe(By.id("delivered-by"), "api"));
        String bouncedTransmission =
                browser.findElement(By.id("correlation-id")).getText();
        String bouncedMail = browser.findElement(By.id("mail-id")).getText();
        assertThat(bouncedMail).isNotEqualTo(mailId);
        List<ShownEvent> bounced = awaitEvent("BOUNCED");
        assertThat(bounced)
                .extracting(ShownEvent::type, ShownEvent::mailId, ShownEvent::transmissionId)
                .containsExactly(
                        tuple("INJECTED", bouncedMail, bouncedTransmission),
                        tuple("BOUNCED", bouncedMail, bouncedTransmission));
        assertThat(bounced.get(1).text()).contains("bounce@example.org").contains("5.1.1");
        screenshot("demo-page.png");
    }
}
