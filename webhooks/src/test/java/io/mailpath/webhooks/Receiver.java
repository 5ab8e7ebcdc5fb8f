package io.mailpath.webhooks;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * A web application on a real servlet container (Jetty, on loopback) that has nothing but this module's initializer
 * and the configuration a test gives it, as a server would run it: the initializer is found and run at start, the
 * configuration is the application's own (registered for its class loader).
 */
final class Receiver implements AutoCloseable {
    static final String USER = "mailtarget";
    static final String PASSWORD = "hook-password-5f2e81c0";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Config config;
    private final Server server;
    final URI base;

    Receiver(Map<String, String> keys) throws Exception {
        ClassLoader application = new URLClassLoader(new URL[0], Receiver.class.getClassLoader());
        config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(keys, "test", 500))
                .build();
        ConfigProviderResolver.instance().registerConfig(config, application);
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setClassLoader(application);
        context.addServletContainerInitializer(new WebhookInitializer());
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw e;
        }
        base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/app");
    }

    /** The keys of an enabled receiver with the test credentials. */
    static Map<String, String> keys() {
        return Map.of(WebhookSettings.USERNAME, USER, WebhookSettings.PASSWORD, PASSWORD);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Posts a batch with the right credentials to the default path. */
    HttpResponse<String> post(String body) throws Exception {
        return send(request(WebhookSettings.DEFAULT_PATH)
                .header("Authorization", basic(USER, PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Posts a batch as {@link #post(String)} does, without waiting for the answer. */
    CompletableFuture<HttpResponse<String>> postAsync(String body) {
        return HTTP.sendAsync(
                request(WebhookSettings.DEFAULT_PATH)
                        .header("Authorization", basic(USER, PASSWORD))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }
}
