package io.mailpath;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address with an optional display name. Validated strictly when created: an RFC 5321 mailbox (dot-atom or
 * quoted local part of at most 64 characters, a host name or address literal as domain, at most 254 characters in
 * all), no CR or LF anywhere.
 *
 * @param email the address, for example {@code user@example.com}
 * @param name the display name, or null
 */
public record Address(String email, String name) {
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_ADDRESS = 254;
    private static final int MAX_NAME = 256;
    private static final Pattern DOT_ATOM =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern QUOTED =
            Pattern.compile("\"([\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E])*\"");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4_LITERAL =
            Pattern.compile("\\[(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}]");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[IPv6:[0-9A-Fa-f:.]+]");

    public Address {
        check("address", email);
        if (name != null) {
            Text.requireSingleLine("name", name);
            if (name.isBlank()) {
                name = null;
            } else if (name.length() > MAX_NAME) {
                throw new InvalidMailException("name", "longer than " + MAX_NAME + " characters");
            }
        }
    }

    /** An address without a display name. */
    public static Address of(String email) {
        return new Address(email, null);
    }

    /** An address with a display name. */
    public static Address of(String email, String name) {
        return new Address(email, name);
    }

    /** The domain part, as written. */
    public String domain() {
        return email.substring(email.lastIndexOf('@') + 1);
    }

    /** The address in lower case, for comparing recipients. */
    String key() {
        return email.toLowerCase(Locale.ROOT);
    }

    static void check(String field, String email) {
        if (email == null || email.isEmpty()) {
            throw new InvalidMailException(field, "an address is required");
        }
        Text.requireSingleLine(field, email);
        if (email.length() > MAX_ADDRESS) {
            throw new InvalidMailException(field, "longer than " + MAX_ADDRESS + " characters");
        }
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            throw new InvalidMailException(field, "'" + email + "' is not of the form local@domain");
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (local.length() > MAX_LOCAL_PART) {
            throw new InvalidMailException(field, "local part longer than " + MAX_LOCAL_PART + " characters");
        }
        if (!DOT_ATOM.matcher(local).matches() && !QUOTED.matcher(local).matches()) {
            throw new InvalidMailException(field, "'" + email + "' has an invalid local part");
        }
        if (!validDomain(domain)) {
            throw new InvalidMailException(field, "'" + email + "' has an invalid domain");
        }
    }

    private static boolean validDomain(String domain) {
        if (domain.startsWith("[")) {
            return IPV4_LITERAL.matcher(domain).matches()
                    || IPV6_LITERAL.matcher(domain).matches();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (ascii.isEmpty() || ascii.length() > 253 || ascii.endsWith(".")) {
            return false;
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name == null ? email : "\"" + name + "\" <" + email + ">";
    }
}
