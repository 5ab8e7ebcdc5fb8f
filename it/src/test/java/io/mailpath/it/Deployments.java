package io.mailpath.it;

import io.mailpath.it.app.MailResource;
import java.io.File;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Test WARs: the real Mailpath jars, the test endpoint, and a configuration written for this deployment. */
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
}
