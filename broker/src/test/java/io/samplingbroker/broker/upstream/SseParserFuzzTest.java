package io.samplingbroker.broker.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided: any bytes an upstream server sends on an event stream, cut into chunks anywhere (inside a CRLF,
 * inside a UTF-8 character), give the events that a plain line-by-line reading of the whole stream by the WHATWG rules
 * gives: the same data, the same drops of events over the size limit, the same last event id and retry.
 */
class SseParserFuzzTest {

    /** An event dropped for its size, in the list of what was read. */
    private static final String DROPPED = "<dropped>";
    /** Event size limits small enough that fuzzed streams reach them, and the broker's own. */
    private static final int[] LIMITS = {16, 200, SseParser.MAX_EVENT_CHARS};

    static Stream<byte[]> streams() {
        return Stream.of(
                "event: message\nid: 1\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n",
                "id: prime-0\nretry: 500\ndata:\n\n: keep-alive\n\ndata: {\"a\":\ndata: 1}\r\n\r\n",
                "data: {\"jsonrpc\":\"2.0\",\"method\":\"sampling/createMessage\",\"id\":\"s-1\",\"params\":{\"messages\":"
                        + "[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"18°C?\"}}],\"maxTokens\":9}}\r\r",
                "data: a\rdata: b\r\ndata: c\n\nid: x\u0000y\nretry: 12a\nretry: 1000\ndata: d\n\n")
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("streams")
    // libFuzzer's dictionary format: control characters as \xNN escapes
    @DictionaryEntries({"data:", "data: ", "id:", "retry:", "event:", ":", "\\x0A", "\\x0D\\x0A", "\\x0D",
        "\\x0A\\x0A", "\\xC2\\xB0"})
    @FuzzTest
    void givenAnyStreamCutAnywhere_whenParsed_thenItReadsAsTheWholeStreamByTheRules(byte[] stream) {
        // the stream's own hash cuts it, so that each mutation of the stream is cut anew
        List<byte[]> chunks = cut(stream, new Random(Arrays.hashCode(stream)));
        for (int limit : LIMITS) {
            Reading whole = new Reading(limit);
            whole.parser.feed(stream);
            Reading chunked = new Reading(limit);
            chunks.forEach(chunked.parser::feed);
            Reading reference = referenceReading(stream, limit);

            assertThat(whole.read).isEqualTo(reference.read);
            assertThat(chunked.read).isEqualTo(reference.read);
            assertThat(whole.parser.lastEventId()).isEqualTo(reference.lastEventId);
            assertThat(chunked.parser.lastEventId()).isEqualTo(reference.lastEventId);
            assertThat(whole.parser.retryMillis()).isEqualTo(reference.retryMillis);
            assertThat(chunked.parser.retryMillis()).isEqualTo(reference.retryMillis);
        }
    }

    /** What one parser read: each event's data, or {@link #DROPPED}. */
    private static final class Reading {
        final List<String> read = new ArrayList<>();
        final SseParser parser;
        String lastEventId;
        Long retryMillis;

        Reading(int limit) {
            parser = new SseParser(limit, read::add, () -> read.add(DROPPED));
        }
    }

    private static List<byte[]> cut(byte[] stream, Random random) {
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        while (from < stream.length) {
            int to = Math.min(stream.length, from + random.nextInt(1, 9));
            chunks.add(Arrays.copyOfRange(stream, from, to));
            from = to;
        }
        return chunks;
    }

    /**
     * The rules, read the plain way: decode the whole stream (an incomplete character at its end is not yet text),
     * split it into lines at CRLF, LF or CR, and read each complete line in turn; the unfinished last line counts
     * towards its event's size only.
     */
    private static Reading referenceReading(byte[] stream, int limit) {
        CharBuffer decoded = CharBuffer.allocate(stream.length);
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(stream), decoded, false);
        String text = decoded.flip().toString();
        Reading reading = new Reading(limit);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        String unfinished = text.substring(start);
        StringBuilder data = null;
        long eventChars = 0;
        boolean skipping = false;
        for (String line : lines) {
            if (skipping) {
                skipping = !line.isEmpty();
                eventChars = 0;
                continue;
            }
            if (line.isEmpty()) {
                if (data != null) {
                    reading.read.add(data.toString());
                }
                data = null;
                eventChars = 0;
                continue;
            }
            eventChars += line.length();
            if (eventChars > limit) {
                reading.read.add(DROPPED);
                data = null;
                skipping = true;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon == 0) {
                continue;
            }
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            switch (field) {
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> reading.lastEventId = value.contains("\u0000") ? reading.lastEventId : value;
                case "retry" -> reading.retryMillis = value.matches("[0-9]{1,9}") ? Long.valueOf(value)
                        : reading.retryMillis;
                default -> {
                }
            }
        }
        if (!skipping && !unfinished.isEmpty() && eventChars + unfinished.length() > limit) {
            reading.read.add(DROPPED);
        }
        return reading;
    }
}
