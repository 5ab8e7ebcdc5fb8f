package io.mailpath.transport.smtp;

import io.mailpath.MailConfigurationException;
import io.mailpath.spi.Capability;
import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.TransportConfig;
import io.mailpath.spi.TransportProvider;
import io.mailpath.spi.config.KeyGroup;
import jakarta.mail.Session;
import java.util.EnumSet;
import java.util.Set;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** Registers the SMTP transport under the name {@value #NAME}. */
public final class SmtpTransportProvider implements TransportProvider {
    /** The transport's name in configuration keys and receipts. */
    public static final String NAME = "smtp";
    /** Priority: after the API transport. */
    public static final int PRIORITY = 100;

    /** The SMTP transport's keys ({@code mailpath.smtp.*}), for the configuration reference. */
    public static final KeyGroup KEYS = SmtpSettings.KEYS;
    /**
     * SMTP cannot render Mailtarget templates or apply tracking options. Nor does it carry metadata into delivery
     * events: no relay header is documented to do so, and metadata is only written to the message (where recipients
     * read it too) when {@code mailpath.smtp.metadata-header=true}.
     */
    private static final Set<Capability> CAPABILITIES =
            EnumSet.of(Capability.PER_RECIPIENT_DATA, Capability.ATTACHMENTS, Capability.CUSTOM_HEADERS);

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
        return CAPABILITIES;
    }

    @Override
    public DirectTransport create(TransportConfig config) {
        return new SmtpTransport(
                this,
                config,
                config.reader()
                        .optional(SmtpSettings.SESSION_JNDI)
                        .map(name -> lookup(config, name))
                        .orElse(null));
    }

    /** A container-managed Jakarta Mail session, such as Liberty's {@code <mailSession jndiName="mail/mailpath">}. */
    private static Session lookup(TransportConfig config, String name) {
        try {
            Object found = new InitialContext().lookup(name);
            if (found instanceof Session session) {
                return session;
            }
            throw new MailConfigurationException(SmtpSettings.SESSION_JNDI.name() + " names '" + name + "', which is a "
                    + (found == null ? "null" : found.getClass().getName()) + ", not a jakarta.mail.Session");
        } catch (NamingException e) {
            throw new MailConfigurationException(
                    SmtpSettings.SESSION_JNDI.name() + " names '" + name + "', which cannot be looked up: "
                            + e.getMessage(),
                    e);
        }
    }
}
