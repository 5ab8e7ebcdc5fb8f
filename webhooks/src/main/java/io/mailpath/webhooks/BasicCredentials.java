package io.mailpath.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The HTTP Basic credentials the receiver expects. Only a SHA-256 digest of {@code user:password} is kept, and a
 * request's credentials are compared digest to digest with {@link MessageDigest#isEqual}, so that neither the
 * comparison's time nor a length tells an attacker how close a guess was.
 */
final class BasicCredentials {
    private final byte[] expected;

    BasicCredentials(String username, String password) {
        this.expected = sha256((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether an {@code Authorization} header ({@code null} when absent) carries these credentials. */
    boolean matches(String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(value.substring(space + 1).trim());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(given));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BasicCredentials[hidden]";
    }
}
