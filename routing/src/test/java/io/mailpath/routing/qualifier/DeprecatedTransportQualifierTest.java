package io.mailpath.routing.qualifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.MailTransport;
import io.mailpath.MailUnavailableException;
import io.mailpath.Transport;
import io.mailpath.TransportName;
import io.mailpath.routing.Messages;
import io.mailpath.testing.Mailbox;
import io.mailpath.testing.MailpathTest;
import io.mailpath.testing.SimulatedFailure;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * 0.1.0's {@code @Transport} qualifier, deprecated, still selects the transport {@code @TransportName} selects: one
 * transport, without retries or failover, by injection and by programmatic lookup.
 */
@MailpathTest(config = "mailpath.transports=memory,memory-backup")
@SuppressWarnings("removal")
class DeprecatedTransportQualifierTest {
    @Inject
    @Transport("memory-backup")
    MailTransport oldQualifier;

    @Inject
    @TransportName("memory-backup")
    MailTransport newQualifier;

    @Inject
    @Any
    Instance<MailTransport> transports;

    @Test
    void sendsThroughTheNamedTransportOnlyAsTransportNameDoes() {
        assertThat(oldQualifier.send(Messages.simple()).transport()).isEqualTo("memory-backup");
        assertThat(newQualifier.send(Messages.simple()).transport()).isEqualTo("memory-backup");
        assertThat(Mailbox.of("memory-backup").messages()).hasSize(2);
        assertThat(Mailbox.of("memory").deliveriesTried()).isZero();
    }

    @Test
    void aFailureGoesStraightToTheCallerAsWithTransportName() {
        Mailbox.of("memory-backup").failNext(1, SimulatedFailure.unavailable());

        assertThatThrownBy(() -> oldQualifier.send(Messages.simple())).isInstanceOf(MailUnavailableException.class);
        assertThat(Mailbox.of("memory-backup").deliveriesTried()).isEqualTo(1);
        assertThat(Mailbox.of("memory").deliveriesTried()).isZero();
    }

    @Test
    void aProgrammaticLookupFindsTheSameTransport() {
        Instance<MailTransport> old = transports.select(Transport.Literal.of("memory"));
        Instance<MailTransport> replacement = transports.select(TransportName.Literal.of("memory"));

        assertThat(old.isResolvable()).isTrue();
        assertThat(old.getHandle().getBean()).isSameAs(replacement.getHandle().getBean());
        assertThat(old.get().send(Messages.simple()).transport()).isEqualTo("memory");
        assertThat(transports.select(Transport.Literal.of("no-such-transport")).isUnsatisfied())
                .isTrue();
    }
}
