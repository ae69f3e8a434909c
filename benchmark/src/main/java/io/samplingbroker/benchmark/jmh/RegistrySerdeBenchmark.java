package io.samplingbroker.benchmark.jmh;

import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.samplingbroker.embeddedinfra.ApicurioRegistryProcess;
import io.samplingbroker.events.SamplingRequested;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;

/**
 * The registry serde of the requests topic with a warm cache: a real Apicurio is started once per trial, the
 * schema registered by the first record, then every call is served from the cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RegistrySerdeBenchmark {

    @Param({"1000", "20000"})
    public int promptBytes;

    private ApicurioRegistryProcess registry;
    private Serializer<SpecificRecord> serializer;
    private Deserializer<SpecificRecord> deserializer;
    private SamplingRequested event;
    private byte[] bytes;
    private String topic;

    @Setup(Level.Trial)
    public void setUp() {
        registry = new ApicurioRegistryProcess(ApicurioRegistryProcess.Settings.ephemeral()).start();
        KafkaSettings settings = KafkaSettings.of("127.0.0.1:9", registry.confluentApiUrl(), TopicsConfig.defaults());
        SchemaRegistryClient client = settings.newRegistryClient();
        TopicSpec<SpecificRecord> requests = new SamplingTopics(TopicsConfig.defaults()).requests();
        topic = requests.name();
        serializer = requests.valueSerde(client).serializer();
        deserializer = requests.valueSerde(client).deserializer();
        event = SampleEvents.requested(promptBytes);
        bytes = serializer.serialize(topic, event); // registers once: the cache is warm from here on
        deserializer.deserialize(topic, bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public byte[] serialize() {
        return serializer.serialize(topic, event);
    }

    @Benchmark
    public SpecificRecord deserialize() {
        return deserializer.deserialize(topic, bytes);
    }
}
