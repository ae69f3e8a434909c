package io.samplingbroker.broker.upstream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.processguard.ChildProcesses;

/**
 * An MCP server run as a child process: newline-delimited JSON-RPC on its stdin and stdout, each line of its stderr
 * logged (logger {@code io.samplingbroker.broker.upstream.ServerStderr}, INFO) so that the broker's output stays in
 * its log layout, JSON included. Reads and writes happen on their own threads, never on an event loop.
 */
public final class StdioUpstream implements UpstreamConnection {

    private static final Logger LOG = LoggerFactory.getLogger(StdioUpstream.class);
    private static final Logger SERVER_STDERR = LoggerFactory.getLogger(
            "io.samplingbroker.broker.upstream.ServerStderr");
    /** A server's diagnostics line is its own business; a runaway one is cut, not a log flood. */
    private static final int MAX_STDERR_LINE = 2_000;

    private final UpstreamSpec.Stdio spec;
    private final ExecutorService writer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private Process process;
    private OutputStream stdin;

    public StdioUpstream(UpstreamSpec.Stdio spec) {
        this(spec, () -> { });
    }

    /** @param whenStopped runs once the process (and its children) are gone, or when it never started */
    public StdioUpstream(UpstreamSpec.Stdio spec, Runnable whenStopped) {
        this.spec = spec;
        stopped.thenRun(whenStopped);
        this.writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "upstream-" + spec.name() + "-stdin"));
    }

    /** Starting a process blocks (fork and exec): it happens on this connection's own thread, not the caller's. */
    @Override
    public CompletionStage<Void> start(Consumer<JsonRpcMessage> fromServer, Consumer<String> onClosed) {
        CompletableFuture<Void> started = CompletableFuture.supplyAsync(() -> {
            startProcess(fromServer, onClosed);
            return null;
        }, writer);
        // A process that never started is stopped too: whoever waits for that (a process slot) is told.
        started.whenComplete((ok, failure) -> {
            if (failure != null) {
                close();
            }
        });
        return started;
    }

    private void startProcess(Consumer<JsonRpcMessage> fromServer, Consumer<String> onClosed) {
        // guarded: a broker killed with -9 leaves no server behind (server-everything runs on with its input closed)
        ProcessBuilder builder = new ProcessBuilder(spec.command());
        builder.environment().putAll(spec.env());
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        try {
            process = ChildProcesses.start(builder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(new IOException("Cannot start upstream server '" + spec.name()
                    + "' (" + String.join(" ", spec.command()) + "): " + e.getMessage(), e));
        }
        stdin = process.getOutputStream();
        Thread reader = new Thread(() -> readLoop(fromServer, onClosed), "upstream-" + spec.name() + "-stdout");
        reader.setDaemon(true);
        reader.start();
        Thread diagnostics = new Thread(this::relayStderr, "upstream-" + spec.name() + "-stderr");
        diagnostics.setDaemon(true);
        diagnostics.start();
        LOG.info("Upstream server '{}' started (pid {})", spec.name(), process.pid());
    }

    private void readLoop(Consumer<JsonRpcMessage> fromServer, Consumer<String> onClosed) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    fromServer.accept(JsonRpcMessage.parse(line));
                } catch (InvalidJsonRpcException e) {
                    BrokenServerMessages.answer(spec.name(), line.length(), e, this::send, fromServer);
                }
            }
        } catch (IOException e) {
            LOG.debug("Upstream server '{}' stdout closed: {}", spec.name(), e.toString());
        }
        String reason = "upstream server '" + spec.name() + "' closed its output"
                + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")");
        onClosed.accept(reason);
    }

    private void relayStderr() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                SERVER_STDERR.info("Upstream server '{}' stderr: {}", spec.name(), line.length() <= MAX_STDERR_LINE
                        ? line : line.substring(0, MAX_STDERR_LINE) + "... (" + line.length() + " chars)");
            }
        } catch (IOException e) {
            LOG.debug("Upstream server '{}' stderr closed: {}", spec.name(), e.toString());
        }
    }

    @Override
    public CompletionStage<Void> send(JsonRpcMessage message) {
        return CompletableFuture.runAsync(() -> {
            try {
                stdin.write((message.text() + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Cannot write to upstream server '" + spec.name() + "'", e);
            }
        }, writer);
    }

    /**
     * Closes stdin (servers exit on end of input), then stops the process and its children if they linger. The
     * waiting happens on a thread of its own: callers may be event loops.
     */
    @Override
    public CompletionStage<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return stopped;
        }
        writer.shutdown();
        if (process == null) {
            stopped.complete(null);
            return stopped;
        }
        Thread stopper = new Thread(this::stopProcess, "upstream-" + spec.name() + "-stop");
        stopper.setDaemon(true);
        stopper.start();
        return stopped;
    }

    private void stopProcess() {
        // Taken before the process ends: once it exits, its children (npx runs node) are no longer its descendants.
        List<ProcessHandle> family = process.descendants().toList();
        try {
            stdin.close();
        } catch (IOException e) {
            LOG.debug("Closing stdin of '{}': {}", spec.name(), e.toString());
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                ChildProcesses.stop(process, Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            ChildProcesses.stop(process, Duration.ZERO);
            Thread.currentThread().interrupt();
        }
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        LOG.info("Upstream server '{}' stopped", spec.name());
        stopped.complete(null);
    }
}
