package io.samplingbroker.systemtests;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer interceptor the system tests give every service's producers (including Kafka Streams'): it records
 * which client wrote to which topic, so {@link TopicWrites} can hold each service to the writers table.
 */
public final class TopicWriteRecorder implements ProducerInterceptor<Object, Object> {

    /** One write: the producer's client id and the topic. */
    public record Write(String clientId, String topic) {
    }

    private static final List<Write> WRITES = new CopyOnWriteArrayList<>();

    private String clientId = "unknown";

    /** Everything recorded since the JVM started (tests filter by their own topic prefix). */
    static List<Write> writes() {
        return List.copyOf(WRITES);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        clientId = id == null ? "unknown" : id.toString();
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        WRITES.add(new Write(clientId, record.topic()));
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        // what was attempted is what counts
    }

    @Override
    public void close() {
        // nothing held
    }
}
