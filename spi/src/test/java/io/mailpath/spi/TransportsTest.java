package io.mailpath.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Mail;
import io.mailpath.MailConfigurationException;
import io.mailpath.SendReceipt;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportsTest {
    /** A provider whose transport reports the configuration it was built with. */
    abstract static class Recording implements TransportProvider {
        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public DirectTransport create(TransportConfig config) {
            String host = config.require("host");
            return new DirectTransport() {
                @Override
                public String name() {
                    return Recording.this.name();
                }

                @Override
                public Set<Capability> capabilities() {
                    return Set.of();
                }

                @Override
                public SendReceipt send(Mail mail) {
                    throw new IllegalStateException("not for sending");
                }

                @Override
                public void close() {}

                @Override
                public String toString() {
                    return name() + "@" + host;
                }
            };
        }
    }

    public static final class Alpha extends Recording {
        @Override
        public String name() {
            return "alpha";
        }

        @Override
        public int priority() {
            return 10;
        }
    }

    public static final class Beta extends Recording {
        @Override
        public String name() {
            return "beta";
        }

        @Override
        public int priority() {
            return 20;
        }
    }

    /** Another provider that claims Alpha's name. */
    public static final class AlphaAgain extends Recording {
        @Override
        public String name() {
            return "alpha";
        }

        @Override
        public int priority() {
            return 1;
        }
    }

    /** A provider only the context class loader lists. */
    public static final class Hidden extends Recording {
        @Override
        public String name() {
            return "hidden";
        }

        @Override
        public int priority() {
            return 5;
        }
    }

    @TempDir
    Path dir;

    @Test
    void findsProvidersHighestPriorityFirst() {
        assertThat(Transports.providers()).extracting(TransportProvider::name).containsExactly("beta", "alpha");
    }

    @Test
    void buildsATransportFromPlainProperties() {
        try (DirectTransport t = Transports.create("alpha", Map.of("mailpath.alpha.host", "mail.example.com"))) {
            assertThat(t.toString()).isEqualTo("alpha@mail.example.com");
        }
    }

    @Test
    void aMissingTransportNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> Transports.provider("smtp"))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("add io.mailpath:mailpath-transport-smtp to the application")
                .hasMessageContaining("found: beta, alpha");
        assertThatThrownBy(() -> Transports.provider("api")).hasMessageContaining("io.mailpath:mailpath-transport-api");
    }

    @Test
    void aMissingKeyIsNamed() {
        assertThatThrownBy(() -> Transports.create("alpha", Map.of()))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessage("mailpath.alpha.host is required");
    }

    @Test
    void looksThroughTheContextClassLoaderFirst() throws Exception {
        List<String> names = withContextLoader(services(Hidden.class), () -> Transports.providers().stream()
                .map(TransportProvider::name)
                .toList());
        assertThat(names).containsExactly("beta", "alpha", "hidden");
        assertThat(Transports.providers()).extracting(TransportProvider::name).doesNotContain("hidden");
    }

    @Test
    void twoProvidersWithOneNameAreAnError() throws Exception {
        ClassLoader loader = services(AlphaAgain.class);
        assertThatThrownBy(() -> withContextLoader(loader, Transports::providers))
                .isInstanceOf(MailConfigurationException.class)
                .hasMessageContaining("Two Mailpath transports are named 'alpha'")
                .hasMessageContaining(Alpha.class.getName())
                .hasMessageContaining(AlphaAgain.class.getName());
    }

    /** A class loader whose services file lists one more provider. */
    private ClassLoader services(Class<?> provider) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(TransportProvider.class.getName()), provider.getName() + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    private static <T> T withContextLoader(ClassLoader loader, Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
