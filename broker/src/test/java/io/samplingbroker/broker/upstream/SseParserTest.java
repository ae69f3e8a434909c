package io.samplingbroker.broker.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseParserTest {

    private final List<String> events = new ArrayList<>();
    private int dropped;
    private final SseParser parser = new SseParser(events::add, () -> dropped++);

    @Test
    void givenEventsSplitAcrossChunks_whenFed_thenEachCompleteEventIsEmittedOnce() {
        parser.feed("event: message\nid: 1\nda");
        parser.feed("ta: {\"a\":1}\n");
        assertThat(events).isEmpty();
        parser.feed("\n: keep-alive comment\n\ndata: {\"b\":2}\r\n\r\n");

        assertThat(events).containsExactly("{\"a\":1}", "{\"b\":2}");
    }

    @Test
    void givenMultiLineData_whenFed_thenLinesAreJoinedWithNewlines() {
        parser.feed("data: {\"a\":\ndata: 1}\n\n");

        assertThat(events).containsExactly("{\"a\":\n1}");
    }

    @Test
    void givenAUtf8CharacterSplitBetweenChunks_whenFed_thenItIsDecodedWhole() {
        byte[] bytes = "data: {\"t\":\"18°C\"}\n\n".getBytes(StandardCharsets.UTF_8);
        int split = "data: {\"t\":\"18".getBytes(StandardCharsets.UTF_8).length + 1; // inside the two-byte '°'
        parser.feed(Arrays.copyOfRange(bytes, 0, split));
        parser.feed(Arrays.copyOfRange(bytes, split, bytes.length));

        assertThat(events).containsExactly("{\"t\":\"18°C\"}");
    }

    @Test
    void givenLinesEndedByLoneCarriageReturns_whenFed_thenTheyEndLinesAsLineFeedsDo() {
        parser.feed("data: a\r\rdata: b\r");
        parser.feed("\ndata: c\r\n\r\n");

        assertThat(events).containsExactly("a", "b\nc");
    }

    @Test
    void givenAnEventLargerThanTheLimit_whenFed_thenItIsDroppedOnceAndTheNextEventIsRead() {
        SseParser small = new SseParser(16, events::add, () -> dropped++);
        small.feed("data: 0123456789");
        small.feed("abcdef\ndata: more\n\ndata: ok\n\n");

        assertThat(dropped).isEqualTo(1);
        assertThat(events).containsExactly("ok");
    }
}
