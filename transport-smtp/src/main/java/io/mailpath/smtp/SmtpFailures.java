package io.mailpath.smtp;

import io.mailpath.MailAuthenticationException;
import io.mailpath.MailException;
import io.mailpath.MailRejectedException;
import io.mailpath.MailUnavailableException;
import io.mailpath.MailUncertainException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * Classifies Jakarta Mail failures by the SMTP reply: 530/534/535/538 → authentication, other 4xx → unavailable,
 * other 5xx → rejected; connection, TLS and timeout failures → unavailable.
 */
final class SmtpFailures {
    private static final String NAME = SmtpTransportProvider.NAME;

    private SmtpFailures() {}

    static MailException classify(MessagingException e, String where) {
        int code = replyCode(e);
        // Angus reports any refused AUTH this way; a 4xx reply (454 temporary failure) is not a wrong password.
        if (e instanceof AuthenticationFailedException && (code < 400 || code >= 500)) {
            return new MailAuthenticationException(
                    "SMTP server " + where + " refused the credentials: " + oneLine(e.getMessage()),
                    NAME,
                    code,
                    null,
                    e);
        }
        Throwable root = rootCause(e);
        String message = oneLine(e.getMessage());
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
        String what;
        if (root instanceof SocketTimeoutException) {
            what = "timed out";
        } else if (root instanceof SSLException) {
            what = "TLS failed (" + oneLine(root.getMessage()) + ")";
        } else if (root instanceof ConnectException) {
            what = "refused the connection";
        } else if (root instanceof UnknownHostException) {
            what = "is an unknown host";
        } else {
            what = "failed: " + message + (root != e ? " (" + oneLine(String.valueOf(root)) + ")" : "");
        }
        return new MailUnavailableException(
                "SMTP server " + where + " " + what, NAME, MailException.NO_STATUS, null, e);
    }

    /**
     * Classifies a failure while a message was being sent over an open connection: as {@link #classify}, except that
     * a timeout is uncertain, since the server may have accepted the message before its reply was lost.
     */
    static MailException classifySend(MessagingException e, String where) {
        if (replyCode(e) <= 0 && rootCause(e) instanceof SocketTimeoutException) {
            return new MailUncertainException(
                    "SMTP server " + where + " did not answer in time while the message was being sent; it may have"
                            + " been accepted",
                    NAME,
                    MailException.NO_STATUS,
                    null,
                    e);
        }
        return classify(e, where);
    }

    static MailException byCode(int code, String message, Throwable cause) {
        if (code == 530 || code == 534 || code == 535 || code == 538) {
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
