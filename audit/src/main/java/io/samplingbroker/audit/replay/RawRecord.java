package io.samplingbroker.audit.replay;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record as read, before decoding: the bytes and headers a tamper-evidence check needs, with the topic's role.
 *
 * @param role the topic's role ({@code requests}, ...)
 * @param record the record: key as text, value as the bytes written
 */
public record RawRecord(String role, ConsumerRecord<String, byte[]> record) {

    public String location() {
        return record.topic() + "[" + record.partition() + "]@" + record.offset();
    }
}
