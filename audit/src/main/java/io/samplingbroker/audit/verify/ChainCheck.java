package io.samplingbroker.audit.verify;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.samplingbroker.audit.replay.RawRecord;
import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.schemas.topics.EventChain;
import io.samplingbroker.schemas.topics.SamplingTopics;

/**
 * The tamper-evidence chain ({@link EventChain}): every event carries a hash over its exact bytes and the hash of
 * the event it follows. An event whose bytes or link do not match its hash was altered; a link to a hash that no
 * event of the request has means the event it followed was removed (or altered); a link to an event later in the
 * same partition means events were reordered; an event that links to nothing (other than the request itself and
 * reviewers' commands, which start a chain) or carries no hash was not written by the services.
 *
 * <p>Memory: the hashes of the requests whose timelines are still open, dropped when each closes.
 */
public final class ChainCheck implements AuditCheck {

    private final Map<String, RequestChain> open = new HashMap<>();

    @Override
    public String name() {
        return "chain";
    }

    @Override
    public void onRecord(RawRecord raw, Findings findings) {
        ConsumerRecord<String, byte[]> record = raw.record();
        if (record.key() == null || record.value() == null) {
            return;
        }
        String requestId = record.key();
        byte[] hash = EventChain.hashOf(record.headers());
        byte[] previous = EventChain.previousOf(record.headers());
        if (hash == null) {
            findings.add(name(), requestId, raw.location(), "the event carries no chain hash: not written by the services");
            return;
        }
        if (!Arrays.equals(hash, EventChain.hash(previous, record.value()))) {
            findings.add(name(), requestId, raw.location(),
                    "the event's bytes or link do not match its chain hash: it was altered after it was written");
        }
        RequestChain chain = open.computeIfAbsent(requestId, id -> new RequestChain());
        boolean startsAChain = raw.role().equals(SamplingTopics.REQUESTS) || raw.role().equals(SamplingTopics.REVIEW_COMMANDS);
        if (previous == null && !startsAChain) {
            findings.add(name(), requestId, raw.location(), "the event follows nothing in the chain");
        } else if (previous != null) {
            chain.links.add(new Link(ByteBuffer.wrap(previous), raw.location(), record.topic(), record.partition(),
                    record.offset()));
        }
        if (raw.role().equals(SamplingTopics.REQUESTS)) {
            chain.requested = true;
        }
        chain.events.put(ByteBuffer.wrap(hash), new Position(raw.location(), record.topic(), record.partition(),
                record.offset()));
    }

    @Override
    public void onTimeline(Timeline timeline, AuditScope scope, Findings findings) {
        RequestChain chain = open.remove(timeline.requestId());
        if (chain != null) {
            resolve(timeline.requestId(), chain, findings);
        }
    }

    /** Requests still open at the end (or filtered out): judged only when their request was read in this replay. */
    @Override
    public void onEnd(Findings findings) {
        open.forEach((requestId, chain) -> {
            if (chain.requested) {
                resolve(requestId, chain, findings);
            }
        });
        open.clear();
    }

    private void resolve(String requestId, RequestChain chain, Findings findings) {
        for (Link link : chain.links) {
            Position parent = chain.events.get(link.previous);
            if (parent == null) {
                findings.add(name(), requestId, link.location, "the event follows an event that is not in the history:"
                        + " the event it follows was deleted or altered");
            } else if (parent.topic.equals(link.topic) && parent.partition == link.partition
                    && parent.offset > link.offset) {
                findings.add(name(), requestId, link.location, "the event comes before the event it follows ("
                        + parent.location + "): events were reordered");
            }
        }
    }

    private static final class RequestChain {
        final Map<ByteBuffer, Position> events = new HashMap<>();
        final List<Link> links = new ArrayList<>();
        boolean requested;
    }

    private record Position(String location, String topic, int partition, long offset) {
    }

    private record Link(ByteBuffer previous, String location, String topic, int partition, long offset) {
    }
}
