package io.samplingbroker.systemtests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import io.samplingbroker.events.SamplingCompleted;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.testsupport.ChatCompletionsServer;
import io.samplingbroker.testsupport.FaultLoad;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.Polling;
import io.samplingbroker.testsupport.SamplingLoadServer;

/**
 * How often the provider was called for each request of a phase, told apart by the JSON-RPC id in the prompt, and
 * whether a repeated call came after the request's completion was recorded (its record's time on the completions
 * topic): a repeat before that is the at-least-once retry of a call whose worker died, one after it is duplicated work.
 */
record ProviderCalls(int repeated, int repeatedAfterCompletion) {

    private static final Pattern ID = Pattern.compile(Pattern.quote(SamplingLoadServer.PROMPT_PREFIX) + "(\\d+)");

    static ProviderCalls of(FaultStack stack, FaultLoad.Phase phase) {
        Map<Long, List<Instant>> calls = new HashMap<>();
        for (ChatCompletionsServer.Received received : stack.provider.requests()) {
            Matcher id = ID.matcher(received.body().toString());
            if (id.find()) {
                long jsonRpcId = Long.parseLong(id.group(1));
                if (jsonRpcId >= phase.firstId() && jsonRpcId <= phase.lastId()) {
                    calls.computeIfAbsent(jsonRpcId, k -> new ArrayList<>()).add(received.receivedAt());
                }
            }
        }
        Map<Long, Instant> completed = firstCompletions(stack);
        int repeated = 0;
        int afterCompletion = 0;
        for (Map.Entry<Long, List<Instant>> call : calls.entrySet()) {
            if (call.getValue().size() > 1) {
                repeated++;
                Instant recorded = completed.get(call.getKey());
                if (recorded != null && call.getValue().stream().skip(1).anyMatch(recorded::isBefore)) {
                    afterCompletion++;
                }
            }
        }
        return new ProviderCalls(repeated, afterCompletion);
    }

    /**
     * The time of each request's first completion record, by the load's id (found in the prompt of the request
     * event: a 2026-07-28 call's input has a JSON-RPC id of its own, the input's key).
     */
    private static Map<Long, Instant> firstCompletions(FaultStack stack) {
        Map<String, Long> loadIds = new HashMap<>();
        for (SpecificRecord event : readAll(stack, stack.settings.samplingTopics().requests()).values().stream()
                .flatMap(List::stream).toList()) {
            if (event instanceof SamplingRequested requested) {
                Matcher id = ID.matcher(requested.getParams().toString());
                if (id.find()) {
                    loadIds.put(requested.getContext().getRequestId(), Long.parseLong(id.group(1)));
                }
            }
        }
        Map<Long, Instant> first = new HashMap<>();
        readAll(stack, stack.settings.samplingTopics().completions()).forEach((at, events) -> events.forEach(event -> {
            Long loadId = event instanceof SamplingCompleted completed
                    ? loadIds.get(completed.getContext().getRequestId()) : null;
            if (loadId != null) {
                first.merge(loadId, at, (a, b) -> a.isBefore(b) ? a : b);
            }
        }));
        return first;
    }

    /** Every event of {@code topic}, by the time its record was written. */
    private static Map<Instant, List<SpecificRecord>> readAll(FaultStack stack, TopicSpec<SpecificRecord> topic) {
        Map<String, Object> config = stack.settings.consumerConfig(KafkaStack.uniqueName("fault-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<Instant, List<SpecificRecord>> events = new HashMap<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde(stack.settings.newRegistryClient()).deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            List<ConsumerRecord<String, SpecificRecord>> batch;
            do {
                batch = Polling.pollRecords(consumer, 1, Duration.ofSeconds(3));
                for (ConsumerRecord<String, SpecificRecord> record : batch) {
                    events.computeIfAbsent(Instant.ofEpochMilli(record.timestamp()), k -> new ArrayList<>())
                            .add(record.value());
                }
            } while (!batch.isEmpty());
        }
        return events;
    }
}
