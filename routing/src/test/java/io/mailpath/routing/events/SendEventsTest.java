package io.mailpath.routing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailRejectedException;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.events.MailEvent;
import io.mailpath.events.MailFailed;
import io.mailpath.events.MailFailedOver;
import io.mailpath.events.MailPossibleDuplicate;
import io.mailpath.events.MailSent;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routed transport tells observers how each send ended; an observer never changes that outcome. */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
@AddBeanClasses(SendEventsTest.Recorder.class)
class SendEventsTest {
    @Inject
    MailTransport mail;

    @Inject
    Recorder recorder;

    @BeforeEach
    void reset() {
        recorder.clear();
    }

    @Test
    void aDirectDeliveryIsOneSentEventCarryingTheCallersReceipt() throws InterruptedException {
        Mail m = Messages.simple();

        SendReceipt receipt = mail.send(m);

        assertThat(recorder.events()).singleElement().isEqualTo(new MailSent(m, receipt));
        // Asynchronous observers get the same event on another thread.
        assertThat(recorder.nextAsync()).isEqualTo(new MailSent(m, receipt));
    }

    @Test
    void aFailoverSaysWhichPathFailedWhyAndWhichDelivered() {
        Mailbox.of("memory").failNext(3, SimulatedFailure.unavailable());
        Mail m = Messages.simple();

        SendReceipt receipt = mail.send(m);

        assertThat(recorder.events())
                .extracting(e -> e.getClass().getSimpleName())
                .containsExactly("MailFailedOver", "MailSent");
        MailFailedOver failover = (MailFailedOver) recorder.events().get(0);
        assertThat(failover.mailId()).isEqualTo(m.id());
        assertThat(failover.failedTransport()).isEqualTo("memory");
        assertThat(failover.reason()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(failover.deliveredBy()).isEqualTo("memory-backup");
        assertThat(failover.failures()).hasSize(3);
        assertThat(failover.receipt()).isEqualTo(receipt);
    }

    @Test
    void anUncertainPrimaryThenADeliveryIsAPossibleDuplicate() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.uncertainAfterAccept());
        Mail m = Messages.simple();

        mail.send(m);

        assertThat(recorder.events())
                .extracting(e -> e.getClass().getSimpleName())
                .containsExactly("MailFailedOver", "MailPossibleDuplicate", "MailSent");
        MailPossibleDuplicate duplicate =
                (MailPossibleDuplicate) recorder.events().get(1);
        assertThat(duplicate.uncertainTransports()).containsExactly("memory");
        assertThat(duplicate.receipt().transport()).isEqualTo("memory-backup");
    }

    @Test
    void aFailedSendIsOneFailedEventWithTheCallersExceptionAndEveryAttempt() {
        Mailbox.of("memory").failNext(1, SimulatedFailure.rejected(550));
        Mail m = Messages.simple();

        Throwable thrown = catchSend(m);

        assertThat(thrown).isInstanceOf(MailRejectedException.class);
        assertThat(recorder.events()).singleElement().isInstanceOf(MailFailed.class);
        MailFailed failed = (MailFailed) recorder.events().get(0);
        assertThat(failed.failure()).isSameAs(thrown);
        assertThat(failed.attempts())
                .extracting(a -> a.transport() + ":" + a.failure())
                .containsExactly("memory:REJECTED");
        assertThat(Mailbox.of("memory-backup").deliveriesTried()).isZero();
    }

    @Test
    void anObserverThatThrowsChangesNeitherAReceiptNorAnException() {
        recorder.failFromNowOn();
        Mail delivered = Messages.simple();

        SendReceipt receipt = mail.send(delivered);

        assertThat(receipt.transport()).isEqualTo("memory");
        assertThat(Mailbox.of("memory").withMailId(delivered.id())).hasSize(1);
        assertThat(recorder.events()).singleElement().isInstanceOf(MailSent.class);

        Mailbox.of("memory").failNext(1, SimulatedFailure.rejected(550));
        assertThatThrownBy(() -> mail.send(Messages.simple())).isInstanceOf(MailRejectedException.class);
        assertThat(recorder.events()).last().isInstanceOf(MailFailed.class);
    }

    private Throwable catchSend(Mail m) {
        try {
            mail.send(m);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("the send did not fail");
    }

    /** An application's observer: records every event, and throws after recording when told to. */
    @ApplicationScoped
    public static class Recorder {
        final List<MailEvent> events = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<MailEvent> async = new LinkedBlockingQueue<>();
        volatile boolean failing;

        void onEvent(@Observes MailEvent e) {
            events.add(e);
            if (failing) {
                throw new IllegalStateException("an observer's own bug");
            }
        }

        void onEventAsync(@ObservesAsync MailSent e) {
            async.add(e);
            if (failing) {
                throw new IllegalStateException("an asynchronous observer's own bug");
            }
        }

        // Reached through the bean's client proxy, whose own fields are not the bean's: methods only.
        List<MailEvent> events() {
            return events;
        }

        void failFromNowOn() {
            failing = true;
        }

        MailEvent nextAsync() throws InterruptedException {
            // Generous: only a lost event takes this long.
            MailEvent e = async.poll(60, TimeUnit.SECONDS);
            assertThat(e).as("an asynchronous MailSent within 60 s").isNotNull();
            return e;
        }

        void clear() {
            events.clear();
            async.clear();
            failing = false;
        }
    }
}
