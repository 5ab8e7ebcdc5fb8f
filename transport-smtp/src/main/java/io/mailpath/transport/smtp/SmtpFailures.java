package io.mailpath.transport.smtp;

import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * Classifies Jakarta Mail failures, by protocol phase first, then by reply code. One place for every rule:
 *
 * <ul>
 *   <li>a definitive reply is classified by its code: 530/534/535/538 → authentication, other 4xx → unavailable,
 *       other 5xx → rejected (a refused AUTH with any other code → unavailable);
 *   <li>no reply code (end of stream, reset, timeout, TLS failure) while connecting, during AUTH or before the
 *       message's final dot was completely written → unavailable: nothing was accepted;
 *   <li>no reply code after the final dot was written → uncertain: the server may have accepted the message.
 * </ul>
 *
 * A missing reply code is never turned into one.
 */
final class SmtpFailures {
    private static final String NAME = SmtpTransportProvider.NAME;

    /** Angus's reply to DATA: while it is still the last reply read, the final dot was not completely written. */
    private static final int START_MAIL_INPUT = 354;

    /** The reply of a server that is closing the connection (RFC 5321: service not available). */
    static final int CLOSING = 421;

    /** How far a send over an open connection got when it failed. */
    enum Phase {
        /** Before the final dot of the message was completely written: the server cannot have accepted it. */
        REQUEST,
        /** The final dot was written, its reply not read: the server may have accepted the message. */
        AWAITING_REPLY
    }

    private SmtpFailures() {}

    /**
     * The phase a failed {@code sendMessage} reached. Jakarta Mail does MAIL, RCPT, DATA, the body and the final dot
     * in one call; the composed message knows whether it was written out completely, and Angus's
     * {@code getLastReturnCode()} still holds DATA's 354 when writing the dot (or flushing the body) failed, since no
     * reply was read after it.
     *
     * @param messageWritten whether the message's every byte was handed to the transport
     * @param transport the connection it was sent over
     */
    static Phase phase(boolean messageWritten, jakarta.mail.Transport transport) {
        if (!messageWritten) {
            return Phase.REQUEST;
        }
        Integer last = lastReturnCode(transport);
        // Unknown (another Jakarta Mail implementation): the dot may have gone out, so the cautious answer.
        return last != null && last == START_MAIL_INPUT ? Phase.REQUEST : Phase.AWAITING_REPLY;
    }

    /** Angus's {@code SMTPTransport.getLastReturnCode()}, read without a compile-time dependency; null if absent. */
    private static Integer lastReturnCode(jakarta.mail.Transport t) {
        try {
            Object value = t.getClass().getMethod("getLastReturnCode").invoke(t);
            return value instanceof Integer i ? i : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Classifies a failure while connecting, in STARTTLS, the TLS handshake or AUTH: nothing was sent yet. */
    static MailException classify(MessagingException e, String where) {
        int code = replyCode(e);
        String message = oneLine(e.getMessage());
        if (e instanceof AuthenticationFailedException) {
            if (isAuthentication(code)) {
                return new MailAuthenticationException(
                        "SMTP server " + where + " refused the credentials: " + message, NAME, code, null, e);
            }
            // A temporary failure (454), an unsupported mechanism (504) or a lost connection is not a wrong password.
            return new MailUnavailableException(
                    "SMTP server " + where + " could not authenticate: "
                            + (code > 0 ? message : lostConnection(e) + " during AUTH"),
                    NAME,
                    code,
                    null,
                    e);
        }
        if (message.contains("STARTTLS is required")) {
            return new MailUnavailableException(
                    "SMTP server " + where + " does not offer STARTTLS; Mailpath does not send in plaintext",
                    NAME,
                    code,
                    null,
                    e);
        }
        if (code > 0) {
            return byCode(code, "SMTP server " + where + " replied " + message, e);
        }
        return new MailUnavailableException(
                "SMTP server " + where + " " + lostConnection(e), NAME, MailException.NO_STATUS, null, e);
    }

    /**
     * Classifies a failure while a message was being sent over an open connection: a reply code decides when the
     * server sent one; otherwise the phase does (see the class comment).
     */
    static MailException classifySend(MessagingException e, String where, Phase phase) {
        if (replyCode(e) > 0) {
            return classify(e, where);
        }
        if (phase == Phase.AWAITING_REPLY) {
            return new MailUncertainException(
                    "SMTP server " + where + " " + lostConnection(e) + " after the whole message was sent, before"
                            + " its reply; it may have been accepted",
                    NAME,
                    MailException.NO_STATUS,
                    null,
                    e);
        }
        return new MailUnavailableException(
                "SMTP server " + where + " " + lostConnection(e) + " before the whole message was sent; nothing was"
                        + " accepted",
                NAME,
                MailException.NO_STATUS,
                null,
                e);
    }

    /**
     * Whether a failure says the connection is gone: the server replied {@value #CLOSING}, or the connection ended or
     * was reset without a reply. Not a timeout: the server may still be there.
     */
    static boolean connectionGone(MessagingException e) {
        int code = replyCode(e);
        if (code > 0) {
            return code == CLOSING;
        }
        return !(rootCause(e) instanceof SocketTimeoutException);
    }

    /** What happened to a connection that gave no reply code, in words. */
    private static String lostConnection(MessagingException e) {
        Throwable root = rootCause(e);
        if (root instanceof SocketTimeoutException) {
            return "timed out";
        } else if (root instanceof SSLException) {
            return "failed in TLS (" + oneLine(root.getMessage()) + ")";
        } else if (root instanceof ConnectException) {
            return "refused the connection";
        } else if (root instanceof UnknownHostException) {
            return "is an unknown host";
        } else if (root instanceof IOException) {
            return "lost the connection (" + oneLine(String.valueOf(root)) + ")";
        }
        // Angus reports end of stream as a reply without a code ("[EOF]").
        String message = oneLine(e.getMessage());
        return message.contains("[EOF]")
                ? "closed the connection"
                : "failed: " + message + (root != e ? " (" + oneLine(String.valueOf(root)) + ")" : "");
    }

    /**
     * Whether a reply to RCPT speaks for the session rather than for the recipient: the server is closing the
     * connection ({@value #CLOSING}) or wants authentication. Every other refusal of a recipient is that recipient's.
     */
    static boolean concernsTheSession(int code) {
        return code == CLOSING || isAuthentication(code);
    }

    /**
     * The server refused every recipient one by one, for the recipients' own reasons: unavailable when the code is
     * temporary (greylisting), rejected otherwise; the failure lists each of them.
     */
    static MailException recipientsRefused(
            int code, String message, Throwable cause, java.util.List<io.mailpath.RejectedRecipient> refused) {
        if (code >= 400 && code < 500) {
            return new MailUnavailableException(message, NAME, code, null, cause, refused);
        }
        return new MailRejectedException(message, NAME, code, null, cause, refused);
    }

    static boolean isAuthentication(int code) {
        return code == 530 || code == 534 || code == 535 || code == 538;
    }

    static MailException byCode(int code, String message, Throwable cause) {
        if (isAuthentication(code)) {
            return new MailAuthenticationException(message, NAME, code, null, cause);
        }
        if (code >= 400 && code < 500) {
            return new MailUnavailableException(message, NAME, code, null, cause);
        }
        return new MailRejectedException(message, NAME, code, null, cause);
    }

    /**
     * The SMTP reply code carried by the exception or one it wraps: Angus's SMTP exceptions expose it as
     * {@code getReturnCode()}; an authentication failure carries it at the start of its message.
     */
    static int replyCode(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            try {
                Method m = t.getClass().getMethod("getReturnCode");
                Object value = m.invoke(t);
                if (value instanceof Integer i && i > 0) {
                    return i;
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // not an SMTP exception
            }
            if (t instanceof AuthenticationFailedException && t.getMessage() != null) {
                String msg = t.getMessage().trim();
                if (msg.length() >= 3 && msg.substring(0, 3).chars().allMatch(Character::isDigit)) {
                    return Integer.parseInt(msg.substring(0, 3));
                }
            }
            if (t instanceof SendFailedException) {
                break;
            }
        }
        return MailException.NO_STATUS;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException me && me.getNextException() != null) {
            return me.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 10; i++) {
            Throwable n = next(t);
            if (n == null) {
                return t;
            }
            t = n;
        }
        return t;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
