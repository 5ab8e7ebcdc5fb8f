package io.mailpath.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.activation.DataContentHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the peers and the API stand-in's libraries bring onto a test class path must not break Jakarta Mail. An old
 * JavaMail jar (which a JSON schema library of the spec checker depends on) carries a {@code META-INF/mailcap} whose
 * content handlers implement {@code javax.activation}: where it comes before Jakarta Mail's own, every text message
 * fails to be written with a {@link NoClassDefFoundError}.
 */
class MailcapClassPathTest {
    private static final Pattern HANDLER = Pattern.compile("x-java-content-handler=([\\w.$]+)");

    @Test
    void everyMailcapOnTheClassPathNamesJakartaActivationHandlers() throws Exception {
        List<String> handlers = new ArrayList<>();
        for (URL mailcap : Collections.list(getClass().getClassLoader().getResources("META-INF/mailcap"))) {
            String text;
            try (InputStream in = mailcap.openStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            Matcher m = HANDLER.matcher(text);
            while (m.find()) {
                handlers.add(mailcap + " " + m.group(1));
            }
        }

        assertThat(handlers).isNotEmpty().allSatisfy(entry -> {
            String className = entry.substring(entry.lastIndexOf(' ') + 1);
            Class<?> handler;
            try {
                handler = Class.forName(className);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new AssertionError(entry + " cannot be loaded: " + e, e);
            }
            assertThat(DataContentHandler.class).as(entry).isAssignableFrom(handler);
        });
    }

    @Test
    void jakartaMailWritesATextMessage() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setText("Hello");
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);

        assertThat(out.toString(StandardCharsets.US_ASCII)).contains("Hello");
    }
}
