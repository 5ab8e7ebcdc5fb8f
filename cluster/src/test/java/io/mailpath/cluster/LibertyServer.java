package io.mailpath.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One Open Liberty server that the test owns: created with {@code bin/server create}, run in the foreground with
 * {@code bin/server run} (the script {@code exec}s the JVM, so the child process is the server's JVM), stopped with
 * SIGTERM, or killed with SIGKILL.
 */
final class LibertyServer implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofMinutes(5);
    private static final Duration STOP_DEADLINE = Duration.ofMinutes(2);

    final String name;
    final int httpPort;
    private final Path wlp;
    private final Path dir;
    private final Path logs;
    private Process process;

    /** A server named {@code name} in the runtime {@code wlp}, writing its console and tool output into {@code logs}. */
    LibertyServer(Path wlp, String name, int httpPort, Path logs) {
        this.wlp = wlp;
        this.name = name;
        this.httpPort = httpPort;
        this.dir = wlp.resolve("usr/servers").resolve(name);
        this.logs = logs;
    }

    /** Creates the server afresh with this server.xml and these bootstrap properties. */
    void create(Path serverXml, Map<String, String> bootstrap) throws IOException, InterruptedException {
        killLeftOver();
        deleteTree(dir);
        Files.createDirectories(logs);
        Path output = logs.resolve(name + "-create.log");
        ProcessBuilder pb = new ProcessBuilder(wlp.resolve("bin/server").toString(), "create", name)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(javaHome());
        Process create = pb.start();
        if (!create.waitFor(START_DEADLINE.toSeconds(), TimeUnit.SECONDS) || create.exitValue() != 0) {
            create.destroyForcibly();
            throw new IllegalStateException("bin/server create " + name + " failed: " + Files.readString(output));
        }
        Files.copy(serverXml, dir.resolve("server.xml"), StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> all = new LinkedHashMap<>(bootstrap);
        all.put("http.port", String.valueOf(httpPort));
        Files.writeString(
                dir.resolve("bootstrap.properties"),
                all.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                        .collect(Collectors.joining("\n", "", "\n")));
    }

    /**
     * Runs the server in the foreground of a child process, its MicroProfile Config from {@code env}, and waits until
     * the application answers.
     */
    void start(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(wlp.resolve("bin/server").toString(), "run", name, "--clean")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console().toFile()));
        pb.environment().putAll(javaHome());
        pb.environment().putAll(env);
        process = pb.start();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + console());
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(url("api/outbox/dead"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(
                name + " did not start its application within " + START_DEADLINE + "; log: " + console());
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + "/cluster/" + path);
    }

    /** The server's JVM: the child process itself, as {@code bin/server run} replaces its shell with java. */
    ProcessHandle jvm() {
        return process.toHandle();
    }

    /** SIGKILL to the server's JVM and anything it started; returns once it is gone. */
    void kill() throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        if (!process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not die after SIGKILL");
        }
    }

    /** SIGTERM (Liberty stops in order), then SIGKILL if it has not stopped in time. Does nothing when not running. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** What the server wrote to its console, all its runs one after another. */
    Path console() {
        return logs.resolve(name + "-console.log");
    }

    /**
     * Kills this server's JVM if a test JVM that was itself killed left it running: {@code bin/server run} writes no pid
     * file, so it is found by its arguments, this runtime's launcher and this server's name.
     */
    private void killLeftOver() {
        String launcher =
                wlp.resolve("bin/tools/ws-server.jar").toAbsolutePath().toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .arguments()
                        .map(List::of)
                        .filter(args -> args.contains(launcher) && args.contains(name))
                        .isPresent())
                .forEach(ProcessHandle::destroyForcibly);
    }

    private static Map<String, String> javaHome() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
