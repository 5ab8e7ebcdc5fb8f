package io.mailpath.smtp;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.Capability;
import io.mailpath.spi.Transport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import jakarta.mail.Session;
import java.util.Set;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** Registers the SMTP transport under the name {@value #NAME}. */
public final class SmtpTransportProvider implements TransportProvider {
    /** The transport's name in configuration keys and receipts. */
    public static final String NAME = "smtp";
    /** Priority: after the API transport. */
    public static final int PRIORITY = 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(
                Capability.METADATA, Capability.PER_RECIPIENT_DATA, Capability.ATTACHMENTS, Capability.CUSTOM_HEADERS);
    }

    @Override
    public Transport create(TransportConfig config) {
        return new SmtpTransport(
                config,
                config.get("session-jndi").map(name -> lookup(config, name)).orElse(null));
    }

    /** A container-managed Jakarta Mail session, such as Liberty's {@code <mailSession jndiName="mail/mailpath">}. */
    private static Session lookup(TransportConfig config, String name) {
        try {
            Object found = new InitialContext().lookup(name);
            if (found instanceof Session session) {
                return session;
            }
            throw new MailConfigurationException(config.key("session-jndi") + " names '" + name + "', which is a "
                    + (found == null ? "null" : found.getClass().getName()) + ", not a jakarta.mail.Session");
        } catch (NamingException e) {
            throw new MailConfigurationException(
                    config.key("session-jndi") + " names '" + name + "', which cannot be looked up: " + e.getMessage(),
                    e);
        }
    }
}
