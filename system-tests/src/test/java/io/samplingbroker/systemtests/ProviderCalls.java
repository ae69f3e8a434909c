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

    /** The time of each request's first completion record, by the server's JSON-RPC id. */
    private static Map<Long, Instant> firstCompletions(FaultStack stack) {
        TopicSpec<SpecificRecord> completions = stack.settings.samplingTopics().completions();
        Map<String, Object> config = stack.settings.consumerConfig(KafkaStack.uniqueName("fault-completions"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<Long, Instant> first = new HashMap<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config,
                completions.keySerde().deserializer(),
                completions.valueSerde(stack.settings.newRegistryClient()).deserializer())) {
            consumer.subscribe(List.of(completions.name()));
            List<ConsumerRecord<String, SpecificRecord>> batch;
            do {
                batch = Polling.pollRecords(consumer, 1, Duration.ofSeconds(3));
                for (ConsumerRecord<String, SpecificRecord> record : batch) {
                    if (record.value() instanceof SamplingCompleted completed) {
                        first.merge(Long.parseLong(completed.getContext().getJsonRpcId()),
                                Instant.ofEpochMilli(record.timestamp()), (a, b) -> a.isBefore(b) ? a : b);
                    }
                }
            } while (!batch.isEmpty());
        }
        return first;
    }
}
