package io.samplingbroker.schemas.registry;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format: checks the magic byte, fetches the writer schema by id (cached),
 * and resolves it against the reader schema, so older records stay readable after the schema evolves.
 *
 * <p>A record that is not in the wire format, names an id the registry does not know, or does not decode throws a
 * {@link org.apache.kafka.common.errors.SerializationException} naming the topic and the cause; the Kafka consumer
 * wraps it in a {@code RecordDeserializationException} that carries partition and offset
 * (see {@link DeserializationFailure}).
 */
public final class AvroRegistryDeserializer<T> implements Deserializer<T> {

    private final Schema readerSchema;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;

    /** For configuration by class name: reads with each record's writer schema. */
    public AvroRegistryDeserializer() {
        this(null, null);
    }

    /**
     * @param readerSchema the schema to read into (the topic's current schema), or null for the writer's
     * @param registry a shared client, or null to create one in {@link #configure}
     */
    public AvroRegistryDeserializer(Schema readerSchema, SchemaRegistryClient registry) {
        this.readerSchema = readerSchema;
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = new SchemaRegistryClient(RegistrySerdeConfig.fromConfigs(configs));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroRegistryDeserializer used before configure()");
        }
        int id = WireFormat.schemaId(topic, data);
        DatumReader<Object> reader = readers.computeIfAbsent(id, this::readerFor);
        try {
            BoundedDecoder decoder = new BoundedDecoder(DecoderFactory.get().binaryDecoder(data,
                    WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null));
            Object value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException((data.length - WireFormat.HEADER_SIZE) + " byte body has trailing bytes");
            }
            return (T) value;
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException("Cannot decode a record on topic '" + topic + "' with schema id " + id
                    + ": the Avro body is corrupt or was not written with that schema (" + e + ")", e);
        }
    }

    /**
     * The writer's events must be events the reader knows by name: Avro alone would resolve a record of another
     * topic into a union branch whose fields happen to fit (a SamplingRequested read as a SamplingDelivered, since
     * both start with a context and a time and the rest has defaults).
     */
    private static void requireEventsOf(Schema reader, Schema writer, int id) {
        Set<String> known = names(reader);
        Set<String> written = names(writer);
        if (!known.containsAll(written)) {
            throw new WireFormatException("Schema id " + id + " is " + written + ", not an event of this topic "
                    + known + ": the record was written with another topic's schema");
        }
    }

    private static Set<String> names(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            Set<String> names = new HashSet<>();
            schema.getTypes().forEach(branch -> names.addAll(names(branch)));
            return names;
        }
        return Set.of(schema.getFullName());
    }

    private DatumReader<Object> readerFor(int id) {
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND || e.status() == 404) {
                throw new SchemaRegistryException("Unknown schema id " + id + ": the registry at "
                        + registry.config().urls() + " has no schema with that id (" + e.getMessage() + ")",
                        e.status(), e.errorCode());
            }
            throw e;
        }
        if (readerSchema != null) {
            requireEventsOf(readerSchema, writer, id);
        }
        Schema reader = readerSchema != null ? readerSchema : writer;
        if (registry.config().specificReader()) {
            return new SpecificDatumReader<>(writer, reader, AvroModels.forSchema(reader));
        }
        return new GenericDatumReader<>(writer, reader, GenericData.get());
    }
}
