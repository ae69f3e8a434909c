package io.samplingbroker.broker.upstream;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental parser of a {@code text/event-stream} (the WHATWG rules: lines end with CRLF, LF or a lone CR; an event
 * ends with a blank line): feed it chunks as they arrive, it emits the data of each complete event (multi-line data
 * joined with newlines). It remembers the last event id and the server's {@code retry}, which a client needs to resume
 * the stream ({@code Last-Event-ID}); comments and {@code event} are read past.
 *
 * <p>Each character is read once, however the stream is cut into chunks, and an event is bounded: one whose lines
 * hold more than {@code maxEventChars} characters is dropped, its owner told, and the stream read on from the blank
 * line that ends it. A server cannot make the broker buffer without end.
 */
public final class SseParser {

    /** The largest event read by default: as large as the largest message a host may post to the gateway. */
    public static final int MAX_EVENT_CHARS = 16 * 1024 * 1024;

    private final int maxEventChars;
    private final Consumer<String> onData;
    private final Runnable onOversized;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    /** Characters of the event's lines so far (terminators not counted). */
    private long eventChars;
    /** Whether the current line has any character (a blank line ends an event). */
    private boolean lineStarted;
    /** The event outgrew the limit: its lines are skipped up to the blank line that ends it. */
    private boolean skipping;
    /** The last character was a CR: a LF right after it ends no second line. */
    private boolean afterCarriageReturn;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private volatile String lastEventId;
    private volatile Long retryMillis;

    /**
     * @param onData receives the data of each complete event
     * @param onOversized told of each event dropped for its size, so a request it may have answered is not left waiting
     */
    public SseParser(Consumer<String> onData, Runnable onOversized) {
        this(MAX_EVENT_CHARS, onData, onOversized);
    }

    public SseParser(int maxEventChars, Consumer<String> onData, Runnable onOversized) {
        if (maxEventChars < 1) {
            throw new IllegalArgumentException("maxEventChars must be positive, got " + maxEventChars);
        }
        this.maxEventChars = maxEventChars;
        this.onData = onData;
        this.onOversized = onOversized;
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
        int length = chunk.length();
        int i = 0;
        while (i < length) {
            char c = chunk.charAt(i);
            if (c == '\n' || c == '\r') {
                if (c == '\r' || !afterCarriageReturn) {
                    endLine();
                }
                afterCarriageReturn = c == '\r';
                i++;
                continue;
            }
            afterCarriageReturn = false;
            int end = i + 1;
            while (end < length && chunk.charAt(end) != '\n' && chunk.charAt(end) != '\r') {
                end++;
            }
            lineStarted = true;
            if (!skipping) {
                eventChars += end - i;
                if (eventChars > maxEventChars) {
                    drop();
                } else {
                    line.append(chunk, i, end);
                }
            }
            i = end;
        }
    }

    private void drop() {
        skipping = true;
        line.setLength(0);
        data.setLength(0);
        hasData = false;
        onOversized.run();
    }

    private void endLine() {
        boolean blank = !lineStarted;
        lineStarted = false;
        if (skipping) {
            skipping = !blank;
            eventChars = 0;
            return;
        }
        String text = line.toString();
        line.setLength(0);
        if (blank) {
            eventChars = 0;
        }
        onLine(text);
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
