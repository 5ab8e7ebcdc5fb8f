package io.mailpath.routing;

import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import io.mailpath.MailFailoverException;
import io.mailpath.MailRateLimitedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import io.mailpath.SendReceipt;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * What happens when the primary transport failed, by the kind of failure:
 *
 * <ul>
 *   <li>rejected: never here (the message is wrong; {@code @Fallback(skipOn)} keeps it out);
 *   <li>authentication: the error stands, unless {@code mailpath.failover.on-authentication=true};
 *   <li>rate limited: wait for {@code Retry-After} when it is known and within
 *       {@code mailpath.failover.rate-limit-max-wait-ms}, try the primary once more, then fail over;
 *   <li>unavailable, open circuit: fail over;
 *   <li>uncertain: fail over and mark the receipt a possible duplicate, unless
 *       {@code mailpath.failover.on-uncertain=false};
 *   <li>Fault Tolerance timeout: a transport that delivered meanwhile wins (a late success is a success); one that
 *       failed keeps its own kind; one still at work is uncertain.
 * </ul>
 *
 * A next transport that cannot carry the message ({@link MessageFit}: SMTP and a template without fallback body) is
 * skipped, not tried. When every transport fails, a {@link MailFailoverException} lists every attempt and skip; its
 * kind comes from the transports really tried.
 */
@Dependent
public class FailoverHandler implements FallbackHandler<SendReceipt> {
    @Inject
    MailpathExtension mailpath;

    @Inject
    SecondaryPath secondary;

    @Inject
    RoutingState state;

    @Override
    public SendReceipt handle(ExecutionContext execution) {
        SendContext context = SendContext.of(execution);
        if (context.delivered() != null) {
            // The primary delivered, and Fault Tolerance's timeout fired meanwhile: a late success is a success.
            return context.delivered();
        }
        Mail mail = context.mail();
        String primary = context.primary();
        if (execution.getFailure() instanceof CircuitBreakerOpenException) {
            state.circuitRefused(primary);
        }
        MailException failure = asMailException(execution.getFailure(), primary, context, true);

        if (failure.kind() == FailureKind.RATE_LIMITED) {
            Duration wait = ((MailRateLimitedException) failure).retryAfter().orElse(null);
            if (wait != null && wait.compareTo(mailpath.routing().rateLimitMaxWait()) <= 0 && sleep(wait)) {
                try {
                    return context.attempt(
                            primary, () -> mailpath.registry().get(primary).send(mail));
                } catch (MailException again) {
                    failure = again;
                }
            }
        }
        if (!mayFailOver(failure)) {
            throw failure;
        }
        List<String> rest = context.order().subList(1, context.order().size());
        if (rest.isEmpty()) {
            throw failure;
        }
        boolean possibleDuplicate = failure.kind() == FailureKind.UNCERTAIN;
        List<MailException> earlier = new ArrayList<>();
        MailException last = failure;
        for (String next : rest) {
            Optional<String> unfit = MessageFit.whyNot(mail, mailpath.registry().get(next));
            if (unfit.isPresent()) {
                // This path cannot carry the message, which says nothing about the message: skip it, and let the
                // paths really tried decide the kind.
                context.skipped(next, unfit.get());
                continue;
            }
            try {
                SendReceipt receipt = secondary.send(next, context);
                context.markFailedOver(possibleDuplicate);
                return receipt;
            } catch (RuntimeException e) {
                if (context.delivered() != null) {
                    // Delivered just as this path's Fault Tolerance timeout fired.
                    context.markFailedOver(possibleDuplicate);
                    return context.delivered();
                }
                earlier.add(last);
                last = asMailException(e, next, context, false);
                possibleDuplicate |= last.kind() == FailureKind.UNCERTAIN;
                if (!mayFailOver(last)) {
                    break;
                }
            }
        }
        throw new MailFailoverException(context.attempts(), last, earlier, possibleDuplicate);
    }

    private boolean mayFailOver(MailException e) {
        return switch (e.kind()) {
            case UNAVAILABLE, RATE_LIMITED -> true;
            case UNCERTAIN -> mailpath.routing().failoverOnUncertain();
            case AUTHENTICATION -> mailpath.routing().failoverOnAuthentication();
            case REJECTED, CONFIGURATION -> false;
        };
    }

    /** The failure as a Mailpath exception; Fault Tolerance's own exceptions are recorded as attempts. */
    private static MailException asMailException(
            Throwable failure, String transport, SendContext context, boolean primary) {
        if (failure instanceof MailException e) {
            return e;
        }
        if (failure instanceof TimeoutException) {
            MailException own = context.endedWith();
            if (own != null) {
                // The transport's attempt ended before Fault Tolerance reported the timeout: its own classification
                // (by protocol phase) says whether anything may have been accepted.
                return own;
            }
            String detail = "no answer within the Fault Tolerance timeout of "
                    + (primary ? "PrimaryPath" : "SecondaryPath") + "/send; the message may have been sent";
            context.failedOutside(transport, FailureKind.UNCERTAIN, detail);
            return new MailUncertainException(detail, transport, MailException.NO_STATUS, null, failure);
        }
        if (failure instanceof CircuitBreakerOpenException) {
            String detail = "circuit breaker open: '" + transport + "' failed repeatedly and is skipped for now";
            context.failedOutside(transport, FailureKind.UNAVAILABLE, detail);
            return new MailUnavailableException(detail, transport, MailException.NO_STATUS, null, failure);
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        throw new IllegalStateException(failure);
    }

    private static boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
