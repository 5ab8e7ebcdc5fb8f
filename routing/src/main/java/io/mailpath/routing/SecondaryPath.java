package io.mailpath.routing;

import io.mailpath.MailAuthenticationException;
import io.mailpath.MailConfigurationException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.SendReceipt;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The transports after the first, each tried in turn by {@link PrimaryPath#failOver}. Tunable with the standard keys,
 * for example {@code io.mailpath.routing.SecondaryPath/send/Retry/maxRetries=3}.
 */
@ApplicationScoped
public class SecondaryPath {
    /**
     * The most one try may take by default: {@value} ms, above what every Mailpath transport's own timeouts allow one
     * request (SMTP: pool wait, connect, read and write, 140 s), so that the transport says how a try ended.
     */
    static final long TIMEOUT_MS = 150_000;

    @Retry(
            maxRetries = 1,
            delay = 500,
            jitter = 200,
            maxDuration = 120_000,
            retryOn = MailUnavailableException.class,
            abortOn = {
                MailRejectedException.class,
                MailAuthenticationException.class,
                MailRateLimitedException.class,
                MailUncertainException.class,
                MailConfigurationException.class
            })
    @Timeout(TIMEOUT_MS)
    public SendReceipt send(String transport, SendContext send) {
        return send.attempt(
                transport, () -> send.stream().registry().get(transport).send(send.mail()));
    }
}
