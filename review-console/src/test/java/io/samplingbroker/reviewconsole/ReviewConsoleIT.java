package io.samplingbroker.reviewconsole;

import static io.samplingbroker.reviewconsole.ConsoleClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.samplingbroker.events.ReviewAction;
import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.ReviewItem;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.registry.RegistrySerdeConfig;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.SamplingTopics;
import io.samplingbroker.schemas.topics.TopicProvisioner;
import io.samplingbroker.schemas.topics.TopicSpec;
import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/**
 * The console on a real Kafka broker and a real schema registry. The test plays the approval-worker: it reads the
 * console's commands from review-commands and writes the resulting items to the reviews topic.
 */
@ExtendWith(KafkaStackExtension.class)
class ReviewConsoleIT {

    private static final String PASSWORD = "alice-password";

    @Test
    void givenHeldRequestsOnTheReviewsTopic_whenAliceDecides_thenTheWorkersAnswerDecidesTheHttpAnswer(KafkaStack stack)
            throws Exception {
        // Given: two held requests already on the topic before the console starts
        String name = KafkaStack.uniqueName("console-it");
        KafkaSettings kafka = new KafkaSettings(stack.clientSettings(), Map.of(),
                Map.of(), Map.of(), Map.of(), Map.of(RegistrySerdeConfig.URL, stack.schemaRegistryUrl()),
                new TopicsConfig(name + ".", 3, (short) -1, -1, Map.of()));
        SamplingTopics topics = kafka.samplingTopics();
        SchemaRegistryClient registry = kafka.newRegistryClient();
        ReviewItem approveMe = ReviewItems.pending("req-approve");
        ReviewItem bobWins = ReviewItems.pending("req-race");
        ReviewConsoleConfig config = ReviewConsoleConfig.of(
                Map.of("alice", PasswordHashing.hash(PASSWORD.toCharArray())));
        try (KafkaProducer<String, ReviewItem> reviews = producer(stack, topics.reviews(), registry);
                ReviewConsole console = startWith(config, kafka, topics, reviews, approveMe, bobWins);
                Worker worker = new Worker(stack, topics, registry, reviews, approveMe, bobWins)) {
            ConsoleClient alice = new ConsoleClient(console.port());
            assertThat(alice.login("alice", PASSWORD).statusCode()).isEqualTo(200);
            // the console lists what was on the topic when it started
            assertThat(json(alice.get("/api/reviews")).get("items").findValuesAsText("requestId"))
                    .containsExactlyInAnyOrder("req-approve", "req-race");
            BlockingQueue<String> events = openEvents(alice);
            worker.start();

            // When
            HttpResponse<String> approved = alice.postJson("/api/reviews/req-approve/decision",
                    "{\"stage\": \"request\", \"action\": \"approve\", \"reason\": \"looks fine\"}");
            HttpResponse<String> refused = alice.postJson("/api/reviews/req-race/decision",
                    "{\"stage\": \"request\", \"action\": \"approve\"}");

            // Then
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            assertThat(json(approved).get("decision").get("reviewer").asText()).isEqualTo("alice");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(json(refused).get("error").asText()).isEqualTo("already_decided");
            assertThat(json(refused).get("message").asText()).startsWith("Already decided by bob at ");
            assertThat(worker.commands).extracting(ReviewCommand::getRequestId)
                    .containsExactlyInAnyOrder("req-approve", "req-race");
            assertThat(worker.commands).extracting(ReviewCommand::getReviewer).containsOnly("alice");
            JsonNode event = nextItemEvent(events, "req-approve");
            assertThat(event.get("state").asText()).isEqualTo("approved");
        }
    }

    private static ReviewConsole startWith(ReviewConsoleConfig config, KafkaSettings kafka, SamplingTopics topics,
            KafkaProducer<String, ReviewItem> reviews, ReviewItem... items) throws Exception {
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            TopicProvisioner.ensureTopics(admin, topics.all()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        for (ReviewItem item : items) {
            reviews.send(new ProducerRecord<>(topics.reviews().name(), item.getContext().getRequestId(), item)).get();
        }
        return ReviewConsole.start(new ReviewConsoleServiceConfig(kafka, config));
    }

    /** The SSE stream's lines, read in the background. */
    private static BlockingQueue<String> openEvents(ConsoleClient client) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        client.sendAsync(client.request("/api/events").GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> {
                    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                            assertThat(type).startsWith("text/event-stream"));
                    try (Stream<String> stream = response.body()) {
                        stream.forEach(lines::add);
                    }
                });
        return lines;
    }

    private static JsonNode nextItemEvent(BlockingQueue<String> lines, String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean itemEvent = false;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            if (line.equals("event: item")) {
                itemEvent = true;
            } else if (itemEvent && line.startsWith("data: ")) {
                JsonNode data = McpJson.parse(line.substring("data: ".length()));
                if (data.get("requestId").asText().equals(requestId)) {
                    return data;
                }
                itemEvent = false;
            }
        }
        throw new AssertionError("no item event for " + requestId);
    }

    private static <V> KafkaProducer<String, V> producer(KafkaStack stack, TopicSpec<V> topic,
            SchemaRegistryClient registry) {
        Map<String, Object> config = stack.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde(registry).serializer());
    }

    /** Applies commands on req-approve, and refuses those on req-race as if bob had decided first. */
    private static final class Worker implements AutoCloseable {
        final List<ReviewCommand> commands = new CopyOnWriteArrayList<>();
        private final KafkaConsumer<String, ReviewCommand> consumer;
        private final KafkaProducer<String, ReviewItem> reviews;
        private final SamplingTopics topics;
        private final Map<String, ReviewItem> items;
        private final Thread thread = new Thread(this::run, "console-it-worker");
        private volatile boolean running = true;

        Worker(KafkaStack stack, SamplingTopics topics, SchemaRegistryClient registry,
                KafkaProducer<String, ReviewItem> reviews, ReviewItem... items) {
            Map<String, Object> config = stack.clientConfig();
            config.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaStack.uniqueName("console-it-worker"));
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            this.consumer = new KafkaConsumer<>(config, topics.reviewCommands().keySerde().deserializer(),
                    topics.reviewCommands().valueSerde(registry).deserializer());
            this.consumer.subscribe(List.of(topics.reviewCommands().name()));
            this.reviews = reviews;
            this.topics = topics;
            this.items = Stream.of(items).collect(Collectors.toMap(item -> item.getContext().getRequestId(), i -> i));
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running) {
                for (ConsumerRecord<String, ReviewCommand> record : consumer.poll(Duration.ofMillis(100))) {
                    ReviewCommand command = record.value();
                    commands.add(command);
                    ReviewItem item = items.get(record.key());
                    ReviewItem answer = record.key().equals("req-approve")
                            ? ReviewItems.decided(item, command.getCommandId(), command.getReviewer(),
                                    command.getAction())
                            : ReviewItems.refused(ReviewItems.decided(item, "cmd-bob", "bob", ReviewAction.DENY),
                                    command.getCommandId(), command.getReviewer(),
                                    "Already decided by bob at 12:03:04 UTC (deny)");
                    reviews.send(new ProducerRecord<>(topics.reviews().name(), record.key(), answer));
                }
            }
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer.close();
        }
    }
}
