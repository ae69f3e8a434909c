package io.samplingbroker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real third-party MCP peers from npm (test-peers/, installed by the build with {@code npm ci}):
 * {@code @modelcontextprotocol/server-everything}, a fixture server on the official TypeScript SDK v2 that samples the
 * 2026-07-28 way ({@code mrtr-server.mjs}), and hosts on the SDK v1 ({@code sampling-client.mjs},
 * {@code v1-client.mjs}) and v2 ({@code v2-client.mjs}).
 */
public final class TestPeers {

    private TestPeers() {
    }

    /** The test-peers directory, found from the working directory of a module's tests. */
    public static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("test-peers");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                if (!Files.isDirectory(candidate.resolve("node_modules"))) {
                    throw new IllegalStateException("The npm test peers are not installed: run 'npm ci' in " + candidate
                            + " (the Maven build does it in the test-support module)");
                }
                return candidate;
            }
        }
        throw new IllegalStateException("No test-peers directory above " + Path.of("").toAbsolutePath());
    }

    /** The command that runs server-everything with the given transport ({@code stdio} or {@code streamableHttp}). */
    public static List<String> serverEverything(String transport) {
        return List.of("node", directory().resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js")
                .toString(), transport);
    }

    /** The command that runs one of the test peers' own scripts ({@code task-poll-server.mjs}, ...) with Node. */
    public static List<String> nodeScript(String script) {
        return List.of("node", directory().resolve(script).toString());
    }

    /** An MCP server of the test peers over Streamable HTTP on a loopback port, stopped (with its children) on close. */
    public record HttpPeer(Process process, int port) implements AutoCloseable {
        /** The server's MCP endpoint. */
        public String url() {
            return "http://127.0.0.1:" + port + "/mcp";
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    /** Starts server-everything's Streamable HTTP transport and returns once it listens. */
    public static HttpPeer startServerEverythingHttp(int port) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(serverEverything("streamableHttp"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        HttpPeer server = new HttpPeer(builder.start(), port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                new java.net.Socket("127.0.0.1", port).close();
                return server;
            } catch (IOException notYet) {
                if (!server.process().isAlive()) {
                    throw new IllegalStateException("server-everything exited with code " + server.process().exitValue());
                }
                Thread.sleep(100);
            }
        }
        server.close();
        throw new IllegalStateException("server-everything did not listen on port " + port + " within 30 s");
    }

    /** How the SDK v2 fixture server serves: its default stateless handler, or sessions for 2025 clients as well. */
    public enum MrtrMode { STATELESS, SESSIONFUL }

    /** Starts the SDK v2 fixture server on a free port and returns once it listens. */
    public static HttpPeer startMrtrServer(MrtrMode mode) throws IOException {
        return startFixture("mrtr-server.mjs", mode);
    }

    /**
     * Starts the conformance fixture ({@code conformance-server.mjs}, on the SDK v2: what the conformance suite's
     * server scenarios call for) on a free port.
     */
    public static HttpPeer startConformanceServer(MrtrMode mode) throws IOException {
        return startFixture("conformance-server.mjs", mode);
    }

    private static HttpPeer startFixture(String script, MrtrMode mode) throws IOException {
        Process process = new ProcessBuilder("node", directory().resolve(script).toString(), "0",
                mode.name().toLowerCase(java.util.Locale.ROOT)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        java.io.BufferedReader stdout = new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8));
        String line = stdout.readLine(); // blocks until the server prints its port, or exits
        if (line == null || !line.startsWith("LISTENING ")) {
            process.destroy();
            throw new IllegalStateException(script + " did not start: " + line);
        }
        return new HttpPeer(process, Integer.parseInt(line.substring("LISTENING ".length()).trim()));
    }

    /** What a TypeScript SDK client printed: its single JSON line. */
    public record ClientResult(int exitCode, String output) {
        public boolean ok() {
            return output.contains("\"ok\":true");
        }
    }

    /**
     * Runs the TypeScript SDK client: it connects, calls {@code trigger-sampling-request} with {@code prompt}, and
     * reports the tool result.
     */
    public static ClientResult runClient(List<String> arguments, Map<String, String> env, Duration timeout) {
        return runNode("sampling-client.mjs", arguments, env, timeout);
    }

    /**
     * Runs a host on the SDK v1 ({@code v1-client.mjs}: 2025-11-25, a session) or v2 ({@code v2-client.mjs}: 2026-07-28
     * pinned, or auto) that calls one tool ({@code prompt:<name>}, {@code resource:<uri>} for the others) and prints
     * {@code {"ok":true,"result":...}} or {@code {"ok":false,"error":...}}.
     */
    public static ClientResult runHost(String script, String url, String tool, String argumentsJson,
            List<String> options, Map<String, String> env, Duration timeout) {
        List<String> arguments = new ArrayList<>(List.of(url, tool, argumentsJson));
        arguments.addAll(options);
        return runNode(script, arguments, env, timeout);
    }

    /**
     * Runs the official conformance suite ({@code conformance-table.mjs}) against {@code url}: one JSON line per
     * scenario and era, then a summary line.
     */
    public static ClientResult runConformance(String url, List<String> scenarios, Duration timeout) {
        List<String> arguments = new ArrayList<>(List.of(url));
        arguments.addAll(scenarios);
        return runNode("conformance-table.mjs", arguments, Map.of(), timeout);
    }

    private static ClientResult runNode(String script, List<String> arguments, Map<String, String> env,
            Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.add(directory().resolve(script).toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("The MCP test client " + script + " did not finish within " + timeout);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return new ClientResult(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run the MCP test client (is node on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
