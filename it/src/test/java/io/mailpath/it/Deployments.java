package io.mailpath.it;

import io.mailpath.it.app.MailResource;
import io.mailpath.it.mailbox.MailboxResource;
import io.mailpath.it.outbox.OutboxResource;
import io.mailpath.it.streams.StreamResource;
import io.mailpath.it.webhooks.DeliveryEventsResource;
import java.io.File;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Test WARs: the real Mailpath jars, the test endpoint, and a configuration written for this deployment. Packages are
 * added one by one ({@code addPackage} does not take subpackages), so each WAR holds exactly the test code it needs.
 */
final class Deployments {
    private Deployments() {}

    static WebArchive war(String name, Map<String, String> config) {
        File libs = new File(Objects.requireNonNull(System.getProperty("mailpath.libs"), "mailpath.libs"));
        File[] jars = Objects.requireNonNull(libs.listFiles((dir, n) -> n.endsWith(".jar")), "no jars in " + libs);
        String properties = config.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n"));
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addPackage(MailResource.class.getPackage())
                .addAsLibraries(jars)
                .addAsResource(new StringAsset(properties), "META-INF/microprofile-config.properties")
                .addAsWebInfResource(
                        new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
                                + " bean-discovery-mode=\"annotated\"/>"),
                        "beans.xml");
    }

    /**
     * A test WAR that also holds the test kit's jar ({@code mailpath.testing.jar}, without the kit's dependencies:
     * its in-memory transports need only Mailpath's own jars) and the endpoint that scripts and reads their
     * mailboxes. The other WARs have neither.
     */
    static WebArchive withTestKit(String name, Map<String, String> config) {
        return war(name, config)
                .addPackage(MailboxResource.class.getPackage())
                .addAsLibrary(jar("mailpath.testing.jar"));
    }

    /**
     * A test WAR that also holds the webhooks jar ({@code mailpath.webhooks.jar}), as an application that added the
     * dependency, and the observers and endpoint that show what they got. The other WARs have neither: the receiver
     * fails a deployment that has its jar but not its credentials.
     */
    static WebArchive withWebhooks(String name, Map<String, String> config) {
        return war(name, config)
                .addPackage(DeliveryEventsResource.class.getPackage())
                .addAsLibrary(jar("mailpath.webhooks.jar"));
    }

    /**
     * A test WAR that also holds the health jar ({@code mailpath.health.jar}), as an application that added the
     * dependency: its readiness check joins the server's {@code /health/ready}. The other WARs do without it.
     */
    static WebArchive withHealth(String name, Map<String, String> config) {
        return war(name, config).addAsLibrary(jar("mailpath.health.jar"));
    }

    /**
     * A test WAR with both the health and the webhooks jars, as an application that runs the canary with delivery
     * proof: the receiver hands the canary its delivery events, and the readiness data shows what it saw.
     */
    static WebArchive withHealthAndWebhooks(String name, Map<String, String> config) {
        return withWebhooks(name, config).addAsLibrary(jar("mailpath.health.jar"));
    }

    /**
     * A test WAR that also holds the endpoint that injects {@code @MailStream("transactional")} and
     * {@code @MailStream("marketing")}: only a configuration that lists both streams can deploy it, so the other WARs
     * do without it.
     */
    static WebArchive withStreams(String name, Map<String, String> config) {
        return war(name, config).addPackage(StreamResource.class.getPackage());
    }

    /** The outbox's data source where the application defines it (see {@link #withOutbox}). */
    static final String APP_OUTBOX_DATASOURCE = "java:app/jdbc/mailpath-outbox";

    /**
     * A test WAR that also holds the outbox jar ({@code mailpath.outbox.jar}) and the endpoint that enqueues in a
     * transaction: the outbox needs its data source, which only this deployment's configuration names.
     */
    static WebArchive withOutbox(String name, Map<String, String> config) {
        WebArchive war = war(name, config)
                .addPackage(OutboxResource.class.getPackage())
                .addAsLibrary(jar("mailpath.outbox.jar"));
        if (Boolean.getBoolean("it.outbox.app-datasource")) {
            // This server's own data source is H2, which the outbox does not speak: the application brings Derby
            // (embedded, in memory) and defines its data source in web.xml, as the platform allows.
            File derby = new File(Objects.requireNonNull(System.getProperty("derby.lib.dir"), "derby.lib.dir"));
            war.addAsLibraries(Objects.requireNonNull(derby.listFiles((dir, n) -> n.endsWith(".jar")), "no Derby jars"))
                    .addAsWebInfResource(
                            new StringAsset("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">"
                                    + "<data-source><name>" + APP_OUTBOX_DATASOURCE + "</name>"
                                    + "<class-name>org.apache.derby.jdbc.EmbeddedXADataSource</class-name>"
                                    + "<database-name>memory:mailpath-outbox</database-name>"
                                    + "<property><name>createDatabase</name><value>create</value></property>"
                                    + "</data-source></web-app>"),
                            "web.xml");
        }
        return war;
    }

    /** One jar the build copied, named by a system property. */
    private static File jar(String property) {
        File jar = new File(Objects.requireNonNull(System.getProperty(property), property));
        if (!jar.isFile()) {
            throw new IllegalStateException("no jar at " + jar + " (" + property + ")");
        }
        return jar;
    }
}
