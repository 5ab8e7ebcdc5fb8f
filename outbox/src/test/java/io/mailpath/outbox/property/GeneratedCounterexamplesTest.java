package io.mailpath.outbox.property;

import static io.mailpath.outbox.property.Fault.Kind.RATE_LIMITED;
import static io.mailpath.outbox.property.Fault.Kind.UNAVAILABLE;

import io.mailpath.outbox.property.MessagePlan.Body;
import io.mailpath.outbox.property.MessagePlan.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shrunk counterexamples the generated chains ({@link OutboxChainProperties}) found, each kept as a plain test
 * named after what it shows, on Derby through the same world: the routed transport to the scripted paths, settled
 * and checked against the same promise.
 */
class GeneratedCounterexamplesTest {
    private static EmbeddedDataSource database;

    @BeforeAll
    static void createDatabase() {
        System.setProperty("derby.stream.error.file", "target/derby.log");
        database = new EmbeddedDataSource();
        database.setDatabaseName("memory:mailpath-outbox-counterexamples");
        database.setCreateDatabase("create");
    }

    @AfterAll
    static void stopDeployment() {
        OutboxChainProperties.stopDeployment();
    }

    private static OutboxWorld world() {
        return new OutboxWorld(database, OutboxChainProperties.routed());
    }

    /** Settles the run and fails, telling the run, when the outbox broke its promise. */
    private static void assertPromiseHolds(OutboxWorld world) {
        world.settle();
        List<String> violations = world.violations();
        if (!violations.isEmpty()) {
            throw new AssertionError(world.describe(violations));
        }
    }

    @Test
    void aTemplateWithoutFallbackIsSentOnceTheApiIsBack() {
        // The API is down for one routed send (three calls: the first and Fault Tolerance's two retries); SMTP
        // cannot render the template, so the send fails as REJECTED, though only the API's outage stopped it.
        OutboxWorld world = world();
        world.enqueue(
                MessagePlan.text(1)
                        .body(Body.TEMPLATE_ONLY)
                        .apiFails(Fault.whole(UNAVAILABLE), Fault.whole(UNAVAILABLE), Fault.whole(UNAVAILABLE)),
                false);
        world.drain(0);
        assertPromiseHolds(world);
    }

    @Test
    void aMessageOnlySmtpRefusesIsSentOnceTheApiIsBack() {
        // The same as a template without fallback, for any message the failover path refuses (SMTP 554 for a
        // message the API takes): the API's 429 is passing, SMTP's REJECTED is not the whole story.
        OutboxWorld world = world();
        world.enqueue(MessagePlan.text(1).rejectedBy(Rejection.SMTP_ONLY).apiFails(Fault.whole(RATE_LIMITED)), false);
        world.drain(0);
        assertPromiseHolds(world);
    }

    @Test
    void aRecipientWhoseOwnCopyFailedForNowGetsItLater() {
        // Per-recipient data: one copy each; r1's copy fails (503), r0's is delivered: a partial receipt.
        OutboxWorld world = world();
        world.enqueue(MessagePlan.text(2).sentPerRecipient().apiFails(Fault.of(1, UNAVAILABLE)), false);
        world.drain(0);
        assertPromiseHolds(world);
    }

    @Test
    void aRecipientRefusedForNowAtRcptGetsItLater() {
        // One copy to both; the peer answers r1's RCPT with 451, takes r0: a partial receipt.
        OutboxWorld world = world();
        world.enqueue(MessagePlan.text(2).apiFails(Fault.of(1, UNAVAILABLE)), false);
        world.drain(0);
        assertPromiseHolds(world);
    }

    @Test
    void aPoisonEntryWhoseRelayDiesEverySendDiesAfterMaxAttempts() {
        // Every relay that sends it dies mid-send (an Error escapes drainOnce): its tries are claims, and after
        // maxAttempts of them it must die (and tell onDead once), not stay pending for ever.
        OutboxWorld world = world();
        world.enqueue(MessagePlan.text(1).poisonous(), false);
        world.drain(0);
        assertPromiseHolds(world);
    }

    @Test
    void anEntryClaimedBehindAPoisonEntryIsStillDelivered() {
        // The healthy entry is claimed in the same batch, behind the poison one: each relay dies before reaching it,
        // and its lease keeps it from every other relay until it runs out, again and again.
        OutboxWorld world = world();
        world.enqueue(MessagePlan.text(1).poisonous(), false);
        world.advance(Duration.ofSeconds(1));
        world.enqueue(MessagePlan.text(1), false);
        world.drain(0);
        assertPromiseHolds(world);
    }

    @Test
    void aDatabaseErrorAtAnyStatementOfADyingEntryStillTellsOnDeadOnce() {
        // A message every path rejects dies at its first try; whichever statement of that drain fails, the entry
        // still dies once settled, and onDead hears of it exactly once.
        List<String> violations = new ArrayList<>();
        for (int statement = 1; statement <= 10; statement++) {
            OutboxWorld world = world();
            world.enqueue(MessagePlan.text(1).rejectedBy(Rejection.EVERY_PATH), false);
            world.failStatement(statement);
            world.drain(0);
            world.settle();
            for (String v : world.violations()) {
                violations.add("statement " + statement + " failing: " + v + "\n" + world.describe(List.of(v)));
            }
        }
        if (!violations.isEmpty()) {
            throw new AssertionError(String.join("\n", violations));
        }
    }

    @Test
    void theApisRetryAfterIsHonouredAfterAFailoverThatFailed() {
        // The API answers 429 with Retry-After 15 min; the failover to SMTP fails for now (twice, with Fault
        // Tolerance's retry). The outbox must not call the API again for this message before the 15 minutes.
        OutboxWorld world = world();
        world.enqueue(
                MessagePlan.text(1)
                        .apiFails(Fault.rateLimited(Duration.ofMinutes(15)))
                        .smtpFails(Fault.whole(UNAVAILABLE), Fault.whole(UNAVAILABLE)),
                false);
        world.drain(0);
        world.advance(Duration.ofMinutes(2));
        world.drain(0);
        assertPromiseHolds(world);
    }

    @Test
    void aRateLimitAnsweredBeforeARejectionIsHonoured() {
        // Found in CI: SMTP, which also rejects this message, first answers 429 with Retry-After 2 min (a peer limits
        // the rate before it reads the message); the API failed for now. The next try must wait the 2 minutes.
        OutboxWorld world = world();
        world.enqueue(
                MessagePlan.text(1)
                        .rejectedBy(Rejection.SMTP_ONLY)
                        .apiFails(Fault.whole(RATE_LIMITED), Fault.whole(RATE_LIMITED))
                        .smtpFails(Fault.rateLimited(Duration.ofMinutes(2))),
                false);
        world.drain(0);
        world.advance(Duration.ofMinutes(1));
        world.drain(0);
        assertPromiseHolds(world);
    }

    @Test
    void theFailoverPathsRetryAfterIsHonoured() {
        // The API is down (three calls a send, for two sends); SMTP answers the first send's failover with 429 and
        // Retry-After 15 min, the send's last failure. The next send, while the API is still down, fails over to
        // SMTP again: it must not come before the 15 minutes.
        OutboxWorld world = world();
        Fault down = Fault.whole(UNAVAILABLE);
        world.enqueue(
                MessagePlan.text(1)
                        .apiFails(down, down, down, down, down, down)
                        .smtpFails(Fault.rateLimited(Duration.ofMinutes(15))),
                false);
        world.drain(0);
        world.advance(Duration.ofMinutes(2));
        world.drain(0);
        assertPromiseHolds(world);
    }

    @Test
    void aRecipientRefusedForGoodDoesNotKillTheCopiesOfTheOthers() {
        // Per-recipient data: r0's copy is refused for good (550), r1's is rate limited for now. No copy went out,
        // and the spi's accounting reports the first failure, REJECTED: the router does not fail over, the outbox
        // gives the message up, and r1, whom nothing refused, never gets it.
        OutboxWorld world = world();
        world.enqueue(
                MessagePlan.text(2).sentPerRecipient().refusedForGood(0).apiFails(Fault.whole(RATE_LIMITED)), false);
        world.drain(0);
        assertPromiseHolds(world);
    }
}
