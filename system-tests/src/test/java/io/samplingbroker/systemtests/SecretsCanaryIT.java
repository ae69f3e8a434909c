package io.samplingbroker.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.broker.GatewaySettings;
import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.testsupport.ChatCompletionsServer;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;
import io.samplingbroker.testsupport.TestIssuer;
import io.samplingbroker.testsupport.TestPeers;

/**
 * Secrets stay secret: a provider key, a host token and a host API key, each a unique string, go through a full run
 * of the real services (hosts authenticate with the token and the key, the model-worker calls a provider with the
 * provider key); then every record of every topic
 * (keys, values and headers, as raw bytes) and everything every service logged is searched for them. The run's logs,
 * in the JSON layout of {@code SAMPLING_LOG_FORMAT=json}, name the request on its lines but carry neither the prompt
 * nor the completion (two more unique strings).
 */
@ExtendWith(KafkaStackExtension.class)
class SecretsCanaryIT {

    private static final String RESOURCE = "https://broker.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenAProviderKeyAndAHostToken_whenAFullRunIsDone_thenNeitherIsOnAnyTopicNorInAnyLog(KafkaStack stack,
            @TempDir Path dir) throws Exception {
        String providerKey = "canary-provider-key-" + UUID.randomUUID();
        String prompt = "canary-prompt-" + UUID.randomUUID();
        String completion = "canary-completion-" + UUID.randomUUID();
        StringWriter logs = new StringWriter();
        WriterAppender appender = captureLogs(logs);
        try (TestIssuer issuer = TestIssuer.start();
                ChatCompletionsServer provider = ChatCompletionsServer.start().replyByDefault(
                        ChatCompletionsServer.completion("gpt-4o-mini-2024-07-18", completion, "stop"))) {
            String hostToken = issuer.token("canary-host", "tenant-a", "sampling:use", RESOURCE + "/mcp/everything");
            GatewaySettings gateway = GatewaySettings.loopback().withAuth(HostAuthSettings.oauth(issuer.issuer(),
                    issuer.jwksUrl(), URI.create(RESOURCE)));
            String prefix;
            String apiKey;
            try (SamplingStack services = SamplingStack.start(stack, dir, SamplingStack.APPROVE_ALL,
                    catalogue(provider, providerKey), EndToEndIT.stdioEverything(), Duration.ofSeconds(30), gateway)) {
                prefix = services.kafka.topics().prefix();
                TestPeers.ClientResult result = TestPeers.runHost("v1-client.mjs",
                        services.broker().mcpUrl("everything"),
                        "trigger-sampling-request", "{\"prompt\":\"" + prompt + "\",\"maxTokens\":20}",
                        List.of("--sampling", "none"), Map.of("HOST_TOKEN", hostToken), EndToEndIT.CLIENT_TIMEOUT);
                TestPeers.ClientResult refused = TestPeers.runHost("v1-client.mjs",
                        services.broker().mcpUrl("everything"), "trigger-sampling-request", "{\"prompt\":\"x\"}",
                        List.of("--sampling", "none"), Map.of("HOST_TOKEN", hostToken + "tampered"),
                        EndToEndIT.CLIENT_TIMEOUT);

                SamplingStack.AdminRun created = services.admin("keys", "create", "--host", "canary-machine");
                assertThat(created.status()).as(created.err()).isZero();
                apiKey = created.out().strip();
                TestPeers.ClientResult withKey = TestPeers.runHost("v1-client.mjs",
                        services.broker().mcpUrl("everything"), "trigger-sampling-request",
                        "{\"prompt\":\"with a key\",\"maxTokens\":20}", List.of("--sampling", "none"),
                        Map.of("HOST_TOKEN", apiKey), EndToEndIT.CLIENT_TIMEOUT);

                assertThat(result.output()).contains(completion);
                assertThat(withKey.ok()).as(withKey.output()).isTrue();
                assertThat(refused.output()).as("a bad token is refused").contains("\"ok\":false");
                assertThat(provider.requests()).hasSize(2).allSatisfy(call -> assertThat(call.authorization())
                        .as("the key was really used").isEqualTo("Bearer " + providerKey));
            }
            // Then
            List<String> topics = everyRecord(stack, prefix);
            assertThat(topics).as("records read").hasSizeGreaterThanOrEqualTo(5);
            String keySecret = apiKey.substring(21);
            assertThat(String.join("\n", topics)).doesNotContain(providerKey).doesNotContain(hostToken)
                    .doesNotContain(hostToken.substring(hostToken.lastIndexOf('.') + 1)).doesNotContain(keySecret)
                    .contains("canary-machine");
            assertThat(logs.toString()).as("the logs of the run").contains("canary-host").doesNotContain(providerKey)
                    .doesNotContain(hostToken).doesNotContain(hostToken.substring(hostToken.lastIndexOf('.') + 1))
                    .doesNotContain(keySecret).doesNotContain(prompt).doesNotContain(completion);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : logs.toString().split("\n")) {
                lines.add(JSON.readTree(line)); // every line is one JSON object
            }
            List<JsonNode> ofTheRequest = lines.stream().filter(line -> line.has("request_id")
                    && "canary-host".equals(line.path("host").asText())).toList();
            assertThat(ofTheRequest).as("lines naming the canary host's request").hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(line -> {
                        assertThat(line.path("trace_id").asText()).matches("[0-9a-f]{32}");
                        assertThat(line.path("server").asText()).isEqualTo("everything");
                        assertThat(line.path("tenant").asText()).isEqualTo("tenant-a");
                        assertThat(line.path("time").asText()).endsWith("Z");
                    });
            assertThat(ofTheRequest).extracting(line -> line.path("logger").asText()).as("from both workers")
                    .anyMatch(logger -> logger.contains(".approvalworker."))
                    .anyMatch(logger -> logger.contains(".modelworker."));
        } finally {
            stopCapturing(appender);
        }
    }

    private static String catalogue(ChatCompletionsServer provider, String key) {
        return "defaultModel: canary-gpt\n"
                + "providers:\n"
                + "  local:\n"
                + "    type: openai-compatible\n"
                + "    baseUrl: " + provider.baseUrl() + "\n"
                + "    apiKey: " + key + "\n"
                + "    maxRetries: 0\n"
                + "models:\n"
                + "  - name: canary-gpt\n"
                + "    provider: local\n"
                + "    providerModel: gpt-4o-mini\n";
    }

    /** Every record of every topic under {@code prefix}, key, value and headers as text (UTF-8, lossy). */
    private static List<String> everyRecord(KafkaStack stack, String prefix) {
        Map<String, Object> config = stack.clientConfig();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.listTopics().values().stream().flatMap(List::stream)
                    .filter(p -> p.topic().startsWith(prefix) || p.topic().contains("approval"))
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    StringBuilder text = new StringBuilder(record.topic()).append(' ');
                    text.append(utf8(record.key())).append(' ').append(utf8(record.value()));
                    for (Header header : record.headers()) {
                        text.append(' ').append(header.key()).append('=').append(utf8(header.value()));
                    }
                    records.add(text.toString());
                }
            }
        }
        return records;
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Everything logged in this JVM (every service of the stack runs here) from now on, also into {@code into}. */
    private static WriterAppender captureLogs(StringWriter into) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        WriterAppender appender = WriterAppender.newBuilder().setName("secrets-canary").setTarget(into)
                .setLayout(JsonTemplateLayout.newBuilder().setConfiguration(configuration)
                        .setEventTemplateUri("classpath:sampling-log-layout.json").build()).build();
        appender.start();
        configuration.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
        return appender;
    }

    private static void stopCapturing(WriterAppender appender) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
