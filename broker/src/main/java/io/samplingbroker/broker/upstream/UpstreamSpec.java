package io.samplingbroker.broker.upstream;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** How to reach a configured upstream MCP server: a stdio command, or a Streamable HTTP URL. */
public sealed interface UpstreamSpec {

    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    String name();

    /** A server the broker starts as a child process and talks to over stdin/stdout. */
    record Stdio(String name, List<String> command, Map<String, String> env, Path workingDirectory) implements UpstreamSpec {
        public Stdio {
            requireName(name);
            command = List.copyOf(command);
            if (command.isEmpty() || command.get(0).isBlank()) {
                throw new IllegalArgumentException("servers." + name + ".command must name a program");
            }
            env = Map.copyOf(env);
        }

        /** Environment values may be secrets: only their names are printed. */
        @Override
        public String toString() {
            return "Stdio[name=" + name + ", command=" + command + ", env=" + env.keySet() + ", workingDirectory="
                    + workingDirectory + "]";
        }
    }

    /** Which era the broker speaks with an HTTP server ({@code servers.<name>.protocol}). */
    enum Protocol {
        /** {@code server/discover} first, {@code initialize} when the server is legacy (the default). */
        AUTO,
        /** Always the session era: {@code initialize}, a session per host ({@code 2025-11-25}). */
        SESSION,
        /** Always 2026-07-28, sessionless ({@code 2026-07-28}). */
        SESSIONLESS;

        /** Reads {@code servers.<server>.protocol}: {@code auto}, {@code 2025-11-25} or {@code 2026-07-28} (null: auto). */
        public static Protocol parse(String server, String value) {
            if (value == null || value.isBlank() || value.equals("auto")) {
                return AUTO;
            }
            return switch (value.trim()) {
                case "2025-11-25" -> SESSION;
                case "2026-07-28" -> SESSIONLESS;
                default -> throw new IllegalArgumentException("servers." + server + ".protocol must be auto, 2025-11-25 or 2026-07-28, got '"
                        + value + "'");
            };
        }
    }

    /** A server reached over MCP Streamable HTTP. */
    record Http(String name, URI url, Map<String, String> headers, Protocol protocol) implements UpstreamSpec {
        public Http {
            requireName(name);
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(url, "url");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("servers." + name + ".url must be http or https, got " + url);
            }
            headers = Map.copyOf(headers);
        }

        /** A server whose era is discovered. */
        public Http(String name, URI url, Map<String, String> headers) {
            this(name, url, headers, Protocol.AUTO);
        }

        /** Header values (tokens) are never printed. */
        @Override
        public String toString() {
            return "Http[name=" + name + ", url=" + url + ", headers=" + headers.keySet() + ", protocol=" + protocol
                    + "]";
        }
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("server name '" + name + "' must be 1-64 letters, digits, '-' or '_'");
        }
    }
}
