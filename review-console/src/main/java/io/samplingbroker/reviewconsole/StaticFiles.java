package io.samplingbroker.reviewconsole;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The page's files, from the classpath directory {@value #ROOT}: read straight from the class loader (no copies in
 * a file cache, no look-up in the working directory), only plain names (no paths), cached once read.
 */
final class StaticFiles {

    static final String ROOT = "review-console/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*\\.(html|js|css|svg|png|ico|woff2)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "ico", "image/x-icon", "woff2", "font/woff2");

    private final Vertx vertx;
    private final Map<String, Buffer> cache = new ConcurrentHashMap<>();

    StaticFiles(Vertx vertx) {
        this.vertx = vertx;
    }

    void serve(RoutingContext ctx) {
        String file = ctx.pathParam("file") == null ? "index.html" : ctx.pathParam("file");
        if (!NAME.matcher(file).matches()) {
            ConsoleErrors.NOT_FOUND.send(ctx.response(), "Not found");
            return;
        }
        Buffer cached = cache.get(file);
        if (cached != null) {
            send(ctx, file, cached);
            return;
        }
        vertx.executeBlocking(() -> read(file), false).onComplete(read -> {
            if (read.failed() || read.result() == null) {
                ConsoleErrors.NOT_FOUND.send(ctx.response(), "Not found");
                return;
            }
            cache.put(file, read.result());
            send(ctx, file, read.result());
        });
    }

    private static void send(RoutingContext ctx, String file, Buffer content) {
        String extension = file.substring(file.lastIndexOf('.') + 1);
        ctx.response().putHeader("Content-Type", TYPES.get(extension))
                .putHeader("Cache-Control", "no-cache")
                .end(content);
    }

    private static Buffer read(String file) throws IOException {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            return in == null ? null : Buffer.buffer(in.readAllBytes());
        }
    }
}
