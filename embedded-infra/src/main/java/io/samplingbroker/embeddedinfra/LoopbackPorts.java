package io.samplingbroker.embeddedinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/** Picks free TCP ports on the loopback interface. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /**
     * Returns a port that was free a moment ago. Another process could take it before we bind it; the window is short
     * and the callers start their listener right away.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    /**
     * Waits up to {@code patience} for {@code port} to be free on the loopback interface (a process that was told to
     * end may still hold it for a moment).
     *
     * @return whether it is free
     */
    public static boolean awaitFree(int port, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                return true;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
