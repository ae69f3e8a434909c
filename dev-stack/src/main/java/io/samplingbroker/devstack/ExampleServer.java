package io.samplingbroker.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The example upstream server of the dev stack: {@code @modelcontextprotocol/server-everything} over stdio. The build
 * installs it, pinned, into {@code test-peers/} (npm ci); without it, npx fetches the same version.
 */
final class ExampleServer {

    static final String NAME = "everything";
    static final String PACKAGE = "@modelcontextprotocol/server-everything@2026.8.31";

    private ExampleServer() {
    }

    static List<String> command() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("test-peers/node_modules/@modelcontextprotocol/server-everything/dist/index.js");
            if (Files.isRegularFile(script)) {
                return List.of("node", script.toString(), "stdio");
            }
        }
        return List.of("npx", "--yes", PACKAGE, "stdio");
    }
}
