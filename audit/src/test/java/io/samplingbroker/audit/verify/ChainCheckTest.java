package io.samplingbroker.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.samplingbroker.audit.replay.RawRecord;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;

/** The chain check on hand-made records: honest chains pass; altered, removed, reordered and unchained events do not. */
class ChainCheckTest {

    /** Writes records as the services do: each stamped with its hash, following the hash given. */
    private static final class History {
        final List<RawRecord> records = new ArrayList<>();
        private long offset;

        byte[] write(String role, String value, byte[] follows) {
            RecordHeaders headers = new RecordHeaders();
            EventChain.follow(headers, follows);
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            headers.add(EventChain.HASH, EventChain.hash(follows, bytes));
            records.add(new RawRecord(role, new ConsumerRecord<>("sampling." + role, 0, offset++, 0L,
                    TimestampType.CREATE_TIME, 3, bytes.length, "req-1", bytes, headers, Optional.empty())));
            return EventChain.hashOf(headers);
        }

        List<Finding> verify() {
            ChainCheck check = new ChainCheck();
            Findings findings = new Findings();
            records.forEach(record -> check.onRecord(record, findings));
            check.onEnd(findings);
            return findings.list();
        }
    }

    private static History honest() {
        History history = new History();
        byte[] requested = history.write(SamplingTopics.REQUESTS, "requested", null);
        byte[] decided = history.write(SamplingTopics.DECISIONS, "decided", requested);
        byte[] completed = history.write(SamplingTopics.COMPLETIONS, "completed", decided);
        byte[] resolved = history.write(SamplingTopics.RESULTS, "resolved", completed);
        history.write(SamplingTopics.LIFECYCLE, "delivered", resolved);
        return history;
    }

    @Test
    void givenAnHonestChain_whenChecked_thenNothingIsFound() {
        assertThat(honest().verify()).isEmpty();
    }

    @Test
    void givenAnEventWhoseBytesChanged_whenChecked_thenItIsReportedAsAlteredWithItsRequestAndPlace() {
        // Given the decision rewritten with other bytes but its original headers
        History history = honest();
        RawRecord original = history.records.get(1);
        ConsumerRecord<String, byte[]> record = original.record();
        history.records.set(1, new RawRecord(original.role(), new ConsumerRecord<>(record.topic(), record.partition(),
                record.offset(), 0L, TimestampType.CREATE_TIME, 3, 7, "req-1",
                "DECIDED".getBytes(StandardCharsets.UTF_8), record.headers(), Optional.empty())));
        // When / Then
        assertThat(history.verify()).singleElement().satisfies(finding -> {
            assertThat(finding.requestId()).isEqualTo("req-1");
            assertThat(finding.where()).isEqualTo("sampling.decisions[0]@1");
            assertThat(finding.message()).contains("altered");
        });
    }

    @Test
    void givenARemovedEvent_whenChecked_thenTheEventThatFollowedItIsReported() {
        History history = honest();
        history.records.remove(2); // the completion

        assertThat(history.verify()).singleElement().satisfies(finding -> {
            assertThat(finding.where()).isEqualTo("sampling.results[0]@3");
            assertThat(finding.message()).contains("deleted or altered");
        });
    }

    @Test
    void givenTwoEventsOfOneTopicSwapped_whenChecked_thenTheReorderIsReported() {
        // Given a held decision and the reviewer's decision that follows it, written in the wrong order
        History history = new History();
        byte[] requested = history.write(SamplingTopics.REQUESTS, "requested", null);
        byte[] held = EventChain.hash(requested, "held".getBytes(StandardCharsets.UTF_8));
        history.write(SamplingTopics.DECISIONS, "approved by alice", held);
        history.write(SamplingTopics.DECISIONS, "held", requested);

        assertThat(history.verify()).singleElement().satisfies(finding -> {
            assertThat(finding.where()).isEqualTo("sampling.decisions[0]@1");
            assertThat(finding.message()).contains("reordered");
        });
    }

    @Test
    void givenAnEventWithoutChainHeaders_whenChecked_thenItIsReportedAsNotWrittenByTheServices() {
        History history = honest();
        RawRecord original = history.records.get(4);
        ConsumerRecord<String, byte[]> record = original.record();
        history.records.set(4, new RawRecord(original.role(), new ConsumerRecord<>(record.topic(), record.partition(),
                record.offset(), 0L, TimestampType.CREATE_TIME, 3, record.value().length, "req-1", record.value(),
                new RecordHeaders(), Optional.empty())));

        assertThat(history.verify()).singleElement().satisfies(finding ->
                assertThat(finding.message()).contains("no chain hash"));
    }
}
