package io.samplingbroker.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor under the broker: records of the same sizes through three produce→consume hops on the same Kafka
 * (A → relay → B → relay → C → consumer), with the producer settings the broker uses (acks=all, idempotence,
 * linger 1 ms), nothing else: no registry, no Avro, no HTTP, no policy.
 */
public final class KafkaFloor implements AutoCloseable {

    private static final int PARTITIONS = 6;

    private final String bootstrap;
    private final String[] topics;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaProducer<String, byte[]> producer;
    private final Thread[] threads = new Thread[3];
    private final java.util.concurrent.CountDownLatch positioned = new java.util.concurrent.CountDownLatch(3);
    private volatile InFlight inFlight;

    public KafkaFloor(String bootstrap, String prefix) throws Exception {
        this.bootstrap = bootstrap;
        this.topics = new String[] {prefix + "floor-a", prefix + "floor-b", prefix + "floor-c"};
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics[0], PARTITIONS, (short) 1),
                    new NewTopic(topics[1], PARTITIONS, (short) 1), new NewTopic(topics[2], PARTITIONS, (short) 1)))
                    .all().get(60, TimeUnit.SECONDS);
        }
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        threads[0] = hop("floor-relay-ab", topics[0], topics[1]);
        threads[1] = hop("floor-relay-bc", topics[1], topics[2]);
        threads[2] = hop("floor-sink", topics[2], null);
        for (Thread thread : threads) {
            thread.start();
        }
        if (!positioned.await(60, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException("The Kafka floor's consumers did not start within 60 s");
        }
    }

    private Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 1);
    }

    private Thread hop(String name, String from, String to) {
        Thread thread = new Thread(() -> relay(from, to), name);
        thread.setDaemon(true);
        return thread;
    }

    private void relay(String from, String to) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> out = to == null ? null
                        : new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(from).stream()
                    .map(p -> new TopicPartition(from, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (out != null) {
                        out.send(new ProducerRecord<>(to, record.key(), record.value()));
                    } else {
                        InFlight current = inFlight;
                        if (current != null) {
                            current.complete(Long.parseLong(record.key()), false, System.nanoTime());
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                System.err.println("Kafka floor hop from " + from + " failed: " + e);
            }
        }
    }

    /** Runs the floor at {@code rate} for {@code seconds}, record sizes as the prompts. */
    public LatencyStats run(String label, int rate, int seconds, long timeoutMillis, Prompts prompts)
            throws InterruptedException {
        byte[][] values = new byte[prompts.count()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = prompts.params(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        InFlight current = OpenLoop.inFlightFor(rate, timeoutMillis);
        inFlight = current;
        return OpenLoop.run(label, rate, seconds, current, (id, intended) -> producer.send(
                new ProducerRecord<>(topics[0], Long.toString(id), values[(int) (id % values.length)])));
    }

    @Override
    public void close() {
        running.set(false);
        try {
            for (Thread thread : threads) {
                if (thread != null) {
                    thread.join(5_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
