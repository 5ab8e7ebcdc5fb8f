package io.mailpath.bench;

import io.mailpath.spi.DirectTransport;
import io.mailpath.spi.Transports;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Runs one suite of rows in this JVM, round-robin over the rows ({@code bench.rounds} rounds of {@code bench.seconds}
 * each, after one shorter warm-up round), and appends each row's figures to {@code bench.results}. bench/run.sh starts
 * one JVM per suite with the peers' addresses as system properties, then {@link Report} prints the table.
 *
 * <ul>
 *   <li>{@code smtp}: smtp-sink on {@code bench.sink} (host:port), counted through {@code bench.sink.counter};
 *   <li>{@code http}: nginx at {@code bench.nginx} (a base URL), counted through {@code bench.nginx.log};
 *   <li>{@code tls}: Postfix's submission service on {@code bench.submission} with STARTTLS and AUTH ({@code
 *       bench.user}, {@code bench.password}, certificate trusted through {@code bench.truststore}), passing each
 *       message to a second smtp-sink counted through {@code bench.submission.counter};
 *   <li>{@code heap}: see {@link HeapSearch};
 *   <li>{@code outbox}: see {@link OutboxRows}.
 * </ul>
 */
public final class Bench {
    static final String API_KEY = "mt-bench-key-0123456789";

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Bench smtp|http|tls|heap|outbox|liberty");
        }
        switch (args[0]) {
            case "smtp" -> smtp();
            case "http" -> http();
            case "tls" -> tls();
            case "heap" -> HeapSearch.run();
            case "outbox" -> OutboxRows.run();
            case "liberty" -> LibertyRows.run();
            default -> throw new IllegalArgumentException("unknown suite " + args[0]);
        }
        // Pools and clients may hold non-daemon threads: the suite is over.
        System.exit(0);
    }

    static String property(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing -D" + key);
        }
        return value;
    }

    static int[] threadCounts(String key, String defaults) {
        String[] parts = System.getProperty(key, defaults).split(",");
        int[] counts = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            counts[i] = Integer.parseInt(parts[i].trim());
        }
        return counts;
    }

    private static void smtp() throws Exception {
        String sink = property("bench.sink");
        String host = sink.substring(0, sink.lastIndexOf(':'));
        int port = Integer.parseInt(sink.substring(sink.lastIndexOf(':') + 1));
        PeerCounter peer = PeerCounter.smtpSink(Path.of(property("bench.sink.counter")));
        Session session = Session.getInstance(plainSmtp(host, port));
        Map<String, String> config = new HashMap<>(Map.of(
                "mailpath.smtp.host",
                host,
                "mailpath.smtp.port",
                String.valueOf(port),
                "mailpath.smtp.insecure-plaintext",
                "true",
                "mailpath.smtp.pool.max-connections",
                "8"));
        try (DirectTransport mailpath = Transports.create("smtp", config)) {
            List<Row> rows = new ArrayList<>();
            for (int threads : threadCounts("bench.smtp.threads", "1,8")) {
                rows.add(ToolRow.smtpSource("smtp.limit." + threads, threads, sink, Messages.BODY_BYTES, peer));
                rows.add(naive("smtp.naive." + threads, threads, session, peer, null, null));
                rows.add(reused("smtp.reused." + threads, threads, session, peer, null, null));
                rows.add(mailpath("smtp.mailpath." + threads, "**Mailpath SMTP** (pool 8)", threads, mailpath, peer));
            }
            Runner.runAndRecord(rows);
        }
    }

    private static Properties plainSmtp(String host, int port) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", host);
        p.setProperty("mail.smtp.port", String.valueOf(port));
        p.setProperty("mail.smtp.connectiontimeout", "10000");
        p.setProperty("mail.smtp.timeout", "60000");
        p.setProperty("mail.smtp.writetimeout", "60000");
        return p;
    }

    static Row naive(String id, int threads, Session session, PeerCounter peer, String user, String password) {
        String label = user == null
                ? "naive Jakarta Mail `Transport.send` per message"
                : "STARTTLS + AUTH, naive `Transport.send` per message";
        return new JvmRow(id, label, threads, peer, () -> () -> {
            MimeMessage m = Messages.mime(session);
            if (user == null) {
                Transport.send(m);
            } else {
                Transport.send(m, user, password);
            }
        });
    }

    static Row reused(String id, int threads, Session session, PeerCounter peer, String user, String password) {
        String label = user == null
                ? "one reused Jakarta Mail connection per thread"
                : "STARTTLS + AUTH, one reused Jakarta Mail connection per thread";
        return new JvmRow(id, label, threads, peer, () -> {
            Transport transport = session.getTransport("smtp");
            transport.connect(user, password);
            return new Sender() {
                @Override
                public void send() throws Exception {
                    MimeMessage m = Messages.mime(session);
                    transport.sendMessage(m, m.getAllRecipients());
                }

                @Override
                public void close() throws Exception {
                    transport.close();
                }
            };
        });
    }

    static Row mailpath(String id, String label, int threads, DirectTransport transport, PeerCounter peer) {
        return new JvmRow(id, label, threads, peer, () -> () -> transport.send(Messages.mail()));
    }

    private static void http() throws Exception {
        String base = property("bench.nginx");
        String url = base + "/v1/layang/transmissions";
        PeerCounter peer = PeerCounter.accessLog(Path.of(property("bench.nginx.log")));
        byte[] body = Messages.transmissionJson().getBytes(StandardCharsets.UTF_8);
        Path lua = Path.of(property("bench.work")).resolve("post.lua");
        Files.writeString(
                lua,
                "wrk.method = \"POST\"\n"
                        + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                        + "wrk.headers[\"Authorization\"] = \"Bearer " + API_KEY + "\"\n"
                        + "wrk.body = [[" + Messages.transmissionJson() + "]]\n");
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        try (DirectTransport mailpath = Transports.create("api", apiConfig(base))) {
            List<Row> rows = new ArrayList<>();
            for (int threads : threadCounts("bench.http.threads", "1,16")) {
                rows.add(ToolRow.wrk("http.limit." + threads, threads, url, lua.toString(), peer));
                rows.add(new JvmRow("http.raw." + threads, "raw JDK `HttpClient` POST", threads, peer, () -> () -> {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + API_KEY)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200 || !response.body().contains("transmissionId")) {
                        throw new IOException("HTTP " + response.statusCode());
                    }
                }));
                rows.add(mailpath("http.mailpath." + threads, "**Mailpath API**", threads, mailpath, peer));
            }
            Runner.runAndRecord(rows);
        }
    }

    /** The API transport's configuration for nginx at {@code base}, as every API row uses it. */
    static Map<String, String> apiConfig(String base) {
        return Map.of(
                "mailpath.api.url", base,
                "mailpath.api.insecure-allow-http", "true",
                "mailpath.api.key", API_KEY);
    }

    private static void tls() throws Exception {
        String submission = property("bench.submission");
        String host = submission.substring(0, submission.lastIndexOf(':'));
        int port = Integer.parseInt(submission.substring(submission.lastIndexOf(':') + 1));
        String user = property("bench.user");
        String password = property("bench.password");
        Path trustStore = Path.of(property("bench.truststore"));
        PeerCounter peer = PeerCounter.smtpSink(Path.of(property("bench.submission.counter")));

        Properties props = plainSmtp(host, port);
        props.setProperty("mail.smtp.auth", "true");
        props.setProperty("mail.smtp.starttls.enable", "true");
        props.setProperty("mail.smtp.starttls.required", "true");
        props.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        props.put("mail.smtp.ssl.socketFactory", trusting(trustStore).getSocketFactory());
        Session session = Session.getInstance(props);
        Properties noQuitWait = new Properties();
        noQuitWait.putAll(props);
        noQuitWait.setProperty("mail.smtp.quitwait", "false");
        Session connectOnly = Session.getInstance(noQuitWait);

        Map<String, String> config = new LinkedHashMap<>();
        config.put("mailpath.smtp.host", host);
        config.put("mailpath.smtp.port", String.valueOf(port));
        config.put("mailpath.smtp.username", user);
        config.put("mailpath.smtp.password", password);
        config.put("mailpath.smtp.trust-store", trustStore.toString());
        config.put("mailpath.smtp.trust-store-password", property("bench.truststore.password"));
        config.put("mailpath.smtp.pool.max-connections", "8");
        Map<String, String> perMessage = new LinkedHashMap<>(config);
        perMessage.put("mailpath.smtp.pool.max-messages-per-connection", "1");
        try (DirectTransport mailpath = Transports.create("smtp", config);
                DirectTransport fresh = Transports.create("smtp", perMessage)) {
            List<Row> rows = new ArrayList<>();
            for (int threads : threadCounts("bench.tls.threads", "1,8")) {
                rows.add(naive("tls.naive." + threads, threads, session, peer, user, password));
                rows.add(reused("tls.reused." + threads, threads, session, peer, user, password));
                rows.add(mailpath(
                        "tls.mailpath." + threads,
                        "**Mailpath SMTP with STARTTLS + AUTH** (pool 8)",
                        threads,
                        mailpath,
                        peer));
            }
            rows.add(new JvmRow(
                    "tls.connect.jakarta",
                    "connect + STARTTLS + AUTH, Jakarta Mail (`connect`, then close without waiting for QUIT)",
                    1,
                    null,
                    () -> () -> {
                        Transport t = connectOnly.getTransport("smtp");
                        t.connect(user, password);
                        t.close();
                    }));
            rows.add(mailpath(
                    "tls.connect.mailpath",
                    "connect + STARTTLS + AUTH + one message, Mailpath (a new connection per message)",
                    1,
                    fresh,
                    peer));
            Runner.runAndRecord(rows);
        }
    }

    private static SSLContext trusting(Path trustStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            ks.load(in, property("bench.truststore.password").toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    static void append(Path file, String line) throws IOException {
        Files.writeString(
                file,
                line + System.lineSeparator(),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }
}
