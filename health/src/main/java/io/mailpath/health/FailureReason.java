package io.mailpath.health;

import io.mailpath.Address;
import io.mailpath.Attempt;
import io.mailpath.FailureKind;
import io.mailpath.Mail;
import io.mailpath.MailException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reason for a failed attempt that a probe may show, which is often reachable without authentication: no
 * personal data and no secret.
 *
 * <p>A server's own words cannot be made safe: an SMTP reply or an API error body quotes the recipient as it likes
 * ({@code <ann@example.com>}, bare, percent-encoded, with the name the server knows, in any order). So when the server
 * replied (a status is known) or refused the recipients, the reason is a fixed phrase for the failure's kind: the
 * kind and status are reported beside it as data. Only a failure without a reply (a connection refused, a TLS
 * handshake that failed, a timeout) is described in the transport's own words, which hold no secret, and even those
 * are scrubbed: the message's addresses and names, anything in double quotes or angle brackets, and any token that looks like
 * an address are replaced.
 */
final class FailureReason {
    /** The longest reason kept. */
    static final int MAX_LENGTH = 300;

    static final String REDACTED = "[redacted]";

    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"?");
    private static final Pattern BRACKETED = Pattern.compile("<[^>]*>?");
    private static final Pattern ADDRESS_LIKE =
            Pattern.compile("\\S*(?:@|%40|\\(at\\)|\\[at\\]|&#64;|&commat;)\\S*", Pattern.CASE_INSENSITIVE);

    private FailureReason() {}

    /** The reason for a failed attempt of sending this message. */
    static String of(Attempt attempt, Mail mail) {
        if (attempt.recipientsRefused()) {
            return "the server refused every recipient";
        }
        if (attempt.status() != MailException.NO_STATUS || attempt.failure() == FailureKind.REJECTED) {
            // A rejection without a status is about the message's content (an attachment that cannot be read,
            // named by its file name): the kind says enough.
            return phrase(attempt.failure(), attempt.status() != MailException.NO_STATUS);
        }
        String own = scrub(attempt.detail(), mail);
        return own == null || own.isBlank() ? phrase(attempt.failure(), false) : own;
    }

    private static String phrase(FailureKind kind, boolean replied) {
        return switch (kind) {
            case AUTHENTICATION -> "the server refused the credentials";
            case RATE_LIMITED -> "the server asked to slow down";
            case REJECTED -> replied ? "the server refused the message" : "the message cannot be sent as it is";
            case UNAVAILABLE -> replied ? "the server cannot take mail now" : "the server could not be reached";
            case UNCERTAIN -> replied
                    ? "a gateway failed after the whole message was sent: it may have been accepted"
                    : "no reply after the whole message was sent: it may have been accepted";
            case CONFIGURATION -> "the transport is set up wrongly";
        };
    }

    /** Text on one line, shortened, with every address and name of the message and anything like one replaced. */
    static String scrub(String text, Mail mail) {
        if (text == null) {
            return null;
        }
        String s = text.replaceAll("\\p{Cntrl}+", " ");
        for (String known : known(mail)) {
            s = Pattern.compile(bounded(known), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                    .matcher(s)
                    .replaceAll(REDACTED);
        }
        s = replace(QUOTED, s);
        s = replace(BRACKETED, s);
        s = replace(ADDRESS_LIKE, s);
        s = s.replaceAll("\\s+", " ").strip();
        return s.length() <= MAX_LENGTH ? s : s.substring(0, MAX_LENGTH - 3) + "...";
    }

    private static String replace(Pattern pattern, String text) {
        return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(REDACTED));
    }

    /**
     * What of the message's addresses may show up in a text: each address, its local part, its display name and the
     * words of that name; longest first, so that a name is replaced whole before its words are.
     */
    private static List<String> known(Mail mail) {
        List<String> known = new ArrayList<>();
        if (mail == null) {
            return known;
        }
        List<Address> addresses = new ArrayList<>(mail.allRecipients());
        addresses.addAll(mail.replyTo());
        addresses.add(mail.from());
        for (Address a : addresses) {
            known.add(a.email());
            known.add(a.email().substring(0, Math.max(0, a.email().lastIndexOf('@'))));
            if (a.name() != null) {
                known.add(a.name().strip());
                for (String word : a.name().split("[\\s,.;:\"'()<>]+")) {
                    known.add(word);
                }
            }
        }
        return known.stream()
                .filter(k -> k.length() >= 2)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** A pattern for the literal text, not matched inside a longer word. */
    private static String bounded(String literal) {
        String pattern = Pattern.quote(literal);
        if (Character.isLetterOrDigit(literal.charAt(0))) {
            pattern = "(?<![\\p{L}\\p{N}])" + pattern;
        }
        if (Character.isLetterOrDigit(literal.charAt(literal.length() - 1))) {
            pattern = pattern + "(?![\\p{L}\\p{N}])";
        }
        return pattern;
    }
}
