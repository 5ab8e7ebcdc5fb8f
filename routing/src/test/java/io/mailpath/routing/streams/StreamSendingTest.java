package io.mailpath.routing.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.InvalidMailException;
import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailStream;
import io.mailpath.MailTransport;
import io.mailpath.SendReceipt;
import io.mailpath.SendingDomainException;
import io.mailpath.events.MailEvent;
import io.mailpath.events.MailFailed;
import io.mailpath.events.MailSent;
import io.mailpath.routing.MarketingMemoryTransportProvider;
import io.mailpath.routing.RoutingState;
import io.mailpath.routing.StreamTransports;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.junit5.auto.AddBeanClasses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two named streams beside the unnamed one: each sends through its own transports, the receipt and every event say
 * which stream, and a stream with sending domains refuses a From address outside them.
 */
@MailpathTest(
        config = {
            "mailpath.transports=memory",
            "mailpath.streams=transactional,marketing",
            "mailpath.stream.transactional.transports=memory-backup",
            "mailpath.stream.marketing.transports=" + MarketingMemoryTransportProvider.NAME,
            "mailpath.stream.marketing.from-domains=news.example.com, offers.example.com"
        })
@AddBeanClasses(StreamSendingTest.Recorder.class)
class StreamSendingTest {
    @Inject
    MailTransport unnamed;

    @Inject
    @MailStream("default")
    MailTransport unnamedByName;

    @Inject
    @MailStream("transactional")
    MailTransport transactional;

    @Inject
    @MailStream("marketing")
    MailTransport marketing;

    @Inject
    StreamTransports streams;

    @Inject
    RoutingState routing;

    @Inject
    Recorder recorder;

    @BeforeEach
    void reset() {
        recorder.events().clear();
    }

    private static Mail from(String address) {
        return Mail.builder()
                .from(address)
                .to("reader@example.org")
                .subject("Hello")
                .text("Hi")
                .build();
    }

    @Test
    void eachStreamSendsThroughItsOwnTransportsAndSaysSo() {
        SendReceipt a = unnamed.send(from("app@example.com"));
        SendReceipt b = transactional.send(from("reset@example.com"));
        SendReceipt c = marketing.send(from("promo@news.example.com"));

        assertThat(List.of(a.transport(), b.transport(), c.transport()))
                .containsExactly("memory", "memory-backup", MarketingMemoryTransportProvider.NAME);
        assertThat(List.of(a.stream(), b.stream(), c.stream()))
                .containsExactly("default", "transactional", "marketing");
        // The message the transport got is in its stream, so the transports can tell where it went.
        assertThat(Mailbox.of(MarketingMemoryTransportProvider.NAME).withMailId(c.mailId()))
                .singleElement()
                .satisfies(sent -> assertThat(sent.mail().stream()).isEqualTo("marketing"));
        assertThat(Mailbox.of("memory").withMailId(a.mailId()))
                .singleElement()
                .satisfies(sent -> assertThat(sent.mail().stream()).isEqualTo("default"));
        assertThat(unnamedByName.send(from("app@example.com")).stream()).isEqualTo("default");
        assertThat(routing.streams()).containsExactly("default", "transactional", "marketing");
        assertThat(routing.order("marketing")).containsExactly(MarketingMemoryTransportProvider.NAME);
    }

    @Test
    void everyEventSaysWhichStream() {
        SendReceipt receipt = marketing.send(from("promo@offers.example.com"));

        assertThat(recorder.events()).singleElement().isInstanceOfSatisfying(MailSent.class, e -> {
            assertThat(e.stream()).isEqualTo("marketing");
            assertThat(e.receipt()).isEqualTo(receipt);
        });
    }

    @Test
    void aFromAddressOutsideTheStreamsDomainsIsRefusedAndNothingIsSent() {
        Mailbox box = Mailbox.of(MarketingMemoryTransportProvider.NAME);
        int before = box.deliveriesTried();

        for (String outside : List.of("promo@example.com", "promo@mail.news.example.com", "promo@news.example.co")) {
            assertThatThrownBy(() -> marketing.send(from(outside)))
                    .isInstanceOfSatisfying(SendingDomainException.class, e -> {
                        assertThat(e.stream()).isEqualTo("marketing");
                        assertThat(e.field()).isEqualTo("from");
                        assertThat(e.allowed()).containsExactly("news.example.com", "offers.example.com");
                        assertThat(e.attempts()).isEmpty();
                    })
                    .hasMessageContaining("is not a sending domain of stream 'marketing'");
        }

        assertThat(box.deliveriesTried()).isEqualTo(before);
        assertThat(recorder.events()).hasSize(3).allSatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(
                        MailFailed.class, f -> assertThat(f.stream()).isEqualTo("marketing")));
        // Domains compare without regard to case; the streams without domains take any.
        assertThat(marketing.send(from("Promo@NEWS.Example.COM")).stream()).isEqualTo("marketing");
        assertThat(transactional.send(from("promo@anything.example")).stream()).isEqualTo("transactional");
    }

    @Test
    void aMessageAnotherStreamTookIsNotMovedSilently() {
        Mail inMarketing = from("promo@news.example.com").inStream("marketing");

        assertThatThrownBy(() -> transactional.send(inMarketing))
                .isInstanceOfSatisfying(
                        InvalidMailException.class, e -> assertThat(e.field()).isEqualTo("stream"))
                .hasMessageContaining("the message is in stream 'marketing'");
        assertThatThrownBy(() -> unnamed.send(inMarketing)).isInstanceOf(InvalidMailException.class);
        // Moved on purpose, it goes; sent through its own stream again, it goes.
        assertThat(transactional.send(inMarketing.inStream("transactional")).stream())
                .isEqualTo("transactional");
        assertThat(marketing.send(inMarketing).stream()).isEqualTo("marketing");
        assertThat(unnamed.send(inMarketing.inStream("default")).stream()).isEqualTo("default");
    }

    @Test
    void aStreamSendsAsynchronouslyToo() throws Exception {
        SendReceipt receipt = marketing
                .sendAsync(from("promo@news.example.com"))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(receipt.stream()).isEqualTo("marketing");
    }

    @Test
    void anUnknownStreamIsAConfigurationError() {
        assertThatThrownBy(() -> streams.of("newsletter"))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("No Mailpath stream named 'newsletter'")
                .hasMessageContaining("mailpath.streams")
                .hasMessageContaining("default, transactional, marketing");
    }

    @ApplicationScoped
    public static class Recorder {
        private final List<MailEvent> events = new CopyOnWriteArrayList<>();

        void onEvent(@Observes MailEvent e) {
            events.add(e);
        }

        List<MailEvent> events() {
            return events;
        }
    }
}
