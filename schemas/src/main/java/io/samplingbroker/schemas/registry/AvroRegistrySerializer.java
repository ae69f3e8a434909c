package io.samplingbroker.schemas.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, registering or looking up their schema in a
 * Confluent-compatible registry under the TopicNameStrategy subject ({@code <topic>-value} or {@code <topic>-key}).
 *
 * <p>The writer schema is, in order: the subject's latest version when {@code use.latest.version=true}; the schema
 * given to the constructor (a topic whose value is a union of event types); otherwise the record's own schema, as
 * Confluent's {@code KafkaAvroSerializer} does. Registry failures surface from {@code send()} as a
 * {@link SerializationException} subclass; a record is never silently dropped.
 */
public final class AvroRegistrySerializer<T> implements Serializer<T> {

    private final Schema topicSchema;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean isKey;

    /** For configuration by class name: the writer schema comes from each record. */
    public AvroRegistrySerializer() {
        this(null, null);
    }

    /**
     * @param topicSchema the schema to write with (may be a union of records), or null to use each record's own
     * @param registry a shared client, or null to create one in {@link #configure}
     */
    public AvroRegistrySerializer(Schema topicSchema, SchemaRegistryClient registry) {
        this.topicSchema = topicSchema;
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (registry == null) {
            registry = new SchemaRegistryClient(RegistrySerdeConfig.fromConfigs(configs));
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroRegistrySerializer used before configure()");
        }
        String subject = Subjects.of(topic, isKey);
        RegistrySerdeConfig config = registry.config();
        Schema schema;
        int id;
        if (config.useLatestVersion()) {
            SchemaRegistryClient.RegisteredSchema latest = registry.latest(subject);
            schema = latest.schema();
            id = latest.id();
        } else {
            schema = topicSchema != null ? topicSchema : schemaOf(data, topic);
            id = config.autoRegisterSchemas() ? registry.register(subject, schema) : registry.lookup(subject, schema);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(WireFormat.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, AvroModels.forSchema(s)))
                    .write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode a " + data.getClass().getSimpleName() + " for topic '"
                    + topic + "' with schema id " + id + " (" + schema.getFullName() + "): " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static Schema schemaOf(Object data, String topic) {
        if (data instanceof GenericContainer container) {
            return container.getSchema();
        }
        throw new SerializationException("AvroRegistrySerializer writes Avro records; got a "
                + data.getClass().getName() + " for topic '" + topic + "'");
    }
}
