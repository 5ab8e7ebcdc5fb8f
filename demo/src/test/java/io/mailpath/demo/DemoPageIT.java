package io.mailpath.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
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
 * 503, then a rejection when it answers 400, then a bounce for the stand-in's bounce address.
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
