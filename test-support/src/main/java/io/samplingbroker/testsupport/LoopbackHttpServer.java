package io.samplingbroker.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The JDK's HTTP server on a free loopback port, serving one path with one handler on a thread per exchange (an
 * exchange may wait, as a slow provider or a held SSE stream does): what the local stand-ins and MCP peers share.
 */
final class LoopbackHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;

    private LoopbackHttpServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Listens at once, on a free port; {@code what} names the server in the error when it cannot. */
    static LoopbackHttpServer start(String path, HttpHandler handler, String what) {
        return start(0, path, handler, what);
    }

    /** As above, on {@code port} (0: a free one). */
    static LoopbackHttpServer start(int port, String path, HttpHandler handler, String what) {
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext(path, handler);
            server.setExecutor(threads);
            server.start();
            return new LoopbackHttpServer(server, threads);
        } catch (IOException e) {
            threads.shutdownNow();
            throw new IllegalStateException("Cannot start " + what, e);
        }
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
