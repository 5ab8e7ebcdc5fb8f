package io.mailpath.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An application's test that depends on the kit gets no protocol peer and no mail library with it. This module's test
 * class path is the kit's own dependencies (plus JUnit and AssertJ), so a library that someone adds to the kit, in any
 * scope, shows up here and fails the test. The peers (and what they need) are in {@code mailpath-testing-peers}.
 */
class KitClassPathTest {
    /** A class of each library the kit must not bring, by what it is. */
    private static final Map<String, String> ABSENT = new LinkedHashMap<>();

    static {
        ABSENT.put("WireMock", "com.github.tomakehurst.wiremock.WireMockServer");
        ABSENT.put("WireMock's shaded Jetty", "wiremock.org.eclipse.jetty.server.Server");
        ABSENT.put("SubEthaSMTP", "org.subethamail.smtp.server.SMTPServer");
        ABSENT.put("the OpenAPI request validator", "com.atlassian.oai.validator.OpenApiInteractionValidator");
        ABSENT.put("the JavaMail 1.6 API", "javax.mail.internet.InternetAddress");
        ABSENT.put("BouncyCastle", "org.bouncycastle.cert.X509v3CertificateBuilder");
        ABSENT.put("Angus Mail", "org.eclipse.angus.mail.smtp.SMTPTransport");
        ABSENT.put("Jakarta Mail", "jakarta.mail.Session");
        ABSENT.put("the kit's former peers", "io.mailpath.testing.peers.TestSmtpServer");
    }

    @Test
    void noProtocolPeerNorMailLibraryIsOnTheClassPath() {
        List<String> present = ABSENT.entrySet().stream()
                .filter(e -> loadable(e.getValue()))
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .toList();

        assertThat(present)
                .as("libraries the kit brings onto an application's test class path; they belong in"
                        + " mailpath-testing-peers")
                .isEmpty();
    }

    @Test
    void theKitItselfIsThere() {
        // The check above is only as good as the class loader it asks: the kit's own classes must be found by it.
        assertThat(loadable("io.mailpath.testing.MailpathTest")).isTrue();
        assertThat(loadable("org.jboss.weld.junit5.auto.WeldJunit5AutoExtension"))
                .isTrue();
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, KitClassPathTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
