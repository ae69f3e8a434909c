package io.samplingbroker.broker.upstream;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental parser of a {@code text/event-stream}: feed it chunks as they arrive, it emits the data of each
 * complete event (multi-line data joined with newlines). It remembers the last event id and the server's
 * {@code retry}, which a client needs to resume the stream ({@code Last-Event-ID}); comments and {@code event} are
 * read past.
 */
public final class SseParser {

    private final Consumer<String> onData;
    private final StringBuilder buffer = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private volatile String lastEventId;
    private volatile Long retryMillis;

    public SseParser(Consumer<String> onData) {
        this.onData = onData;
    }

    /** Feeds raw bytes; a UTF-8 character split across chunks is decoded once complete. */
    public void feed(byte[] bytes) {
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + bytes.length).put(pending).put(bytes).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining());
        decoder.decode(in, out, false);
        pending = in.slice();
        feed(out.flip().toString());
    }

    /** The id of the last event seen, or null: where a reconnection resumes. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The reconnection delay the server asked for, in milliseconds, or null. */
    public Long retryMillis() {
        return retryMillis;
    }

    public void feed(String chunk) {
        buffer.append(chunk);
        int newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
            String line = buffer.substring(0, newline);
            buffer.delete(0, newline + 1);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            onLine(line);
        }
    }

    private void onLine(String line) {
        if (line.isEmpty()) {
            if (hasData) {
                onData.accept(data.toString());
            }
            data.setLength(0);
            hasData = false;
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\u0000') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (value.matches("\\d{1,9}")) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // event names and unknown fields carry nothing the broker needs
            }
        }
    }
}
