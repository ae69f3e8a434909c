package io.samplingbroker.broker.stdio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.broker.ProxySession;
import io.samplingbroker.broker.jsonrpc.InvalidJsonRpcException;
import io.samplingbroker.broker.jsonrpc.JsonRpcMessage;
import io.samplingbroker.broker.sampling.HostIdentity;
import io.samplingbroker.broker.sampling.SamplingDispatcher;
import io.samplingbroker.broker.upstream.StdioUpstream;
import io.samplingbroker.broker.upstream.UpstreamSpec;

/**
 * The stdio front: the host launches the broker as if it were the server; the broker runs the real server as a child
 * process and relays newline-delimited JSON-RPC both ways, answering the server's sampling itself.
 */
public final class StdioFront {

    private static final Logger LOG = LoggerFactory.getLogger(StdioFront.class);

    private final ProxySession session;
    private final InputStream hostIn;
    private final PrintStream hostOut;
    private final CountDownLatch finished = new CountDownLatch(1);

    public StdioFront(UpstreamSpec.Stdio server, String hostId, SamplingDispatcher dispatcher, InputStream hostIn,
            PrintStream hostOut) {
        this.hostIn = hostIn;
        this.hostOut = hostOut;
        this.session = new ProxySession(UUID.randomUUID().toString(), server.name(), HostIdentity.selfNamed(hostId),
                new StdioUpstream(server), dispatcher, this::toHost);
    }

    /** Relays until the host closes stdin or the server exits; returns when both sides are closed. */
    public void run() throws InterruptedException {
        session.start(reason -> finished.countDown()).toCompletableFuture().join();
        Thread reader = new Thread(this::readHost, "stdio-front-host-reader");
        reader.setDaemon(true);
        reader.start();
        finished.await();
        close(); // waits for the server process to end, so none outlives the front
    }

    private void readHost() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(hostIn, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    session.fromHost(JsonRpcMessage.parse(line));
                } catch (InvalidJsonRpcException e) {
                    toHost(e.toResponse());
                }
            }
        } catch (IOException e) {
            LOG.debug("Host stdin closed: {}", e.toString());
        }
        session.close("host closed stdin");
    }

    private void toHost(JsonRpcMessage message) {
        // JSON text from a server may hold newlines as whitespace; the stdio transport needs one line per message.
        String line = message.text().indexOf('\n') >= 0 ? message.json().encode() : message.text();
        synchronized (hostOut) {
            hostOut.print(line + "\n");
            hostOut.flush();
        }
    }

    /** Ends the session and waits (bounded) for the server process to stop. */
    public void close() {
        try {
            session.close("broker stopping").toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("The server did not stop within 10 s: {}", e.toString());
        }
    }
}
