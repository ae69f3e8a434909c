package io.samplingbroker.broker.auth;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.samplingbroker.events.HostKey;
import io.samplingbroker.schemas.registry.SchemaRegistryClient;
import io.samplingbroker.schemas.topics.Service;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.CompactedTopicReader;
import io.samplingbroker.serviceruntime.kafka.DeadLetterSink;
import io.samplingbroker.serviceruntime.keys.HostKeyText;
import io.samplingbroker.serviceruntime.metrics.DeadLetterMeter;
import io.samplingbroker.serviceruntime.service.FailureSignal;

/**
 * The API keys machine hosts authenticate with, as the admin command issued and revoked them: every broker instance
 * reads the whole compacted host-keys topic into memory and keeps reading, so a revocation reaches each instance in
 * about one poll (200 ms) after Kafka has it. Checking a key is a map look-up and one SHA-256: cheap enough for the
 * event loop. Until the topic has been read to its end a key may be unknown, which refuses it; nothing makes an
 * unknown or revoked key pass.
 */
public final class HostApiKeys implements AutoCloseable {

    private final Map<String, HostKey> keys = new ConcurrentHashMap<>();
    private final String requiredScope;
    private CompactedTopicReader<HostKey> reader;
    private DeadLetterSink deadLetters;

    /** Keys as {@link #apply} gives them (the unit tests'); {@link #readFrom} reads them from Kafka. */
    HostApiKeys(String requiredScope) {
        this.requiredScope = requiredScope;
    }

    /**
     * Reads {@code kafka}'s host-keys topic, from now on; {@code failures} hears if reading stops (keys would go
     * stale). The future completes once every key present at start is known.
     */
    public static HostApiKeys readFrom(KafkaSettings kafka, SchemaRegistryClient registry, String requiredScope,
            FailureSignal failures, DeadLetterMeter deadLetterMeter) {
        HostApiKeys keys = new HostApiKeys(requiredScope);
        keys.deadLetters = DeadLetterSink.of(kafka, Service.BROKER, deadLetterMeter);
        keys.reader = new CompactedTopicReader<>(kafka, Service.BROKER, "host-keys",
                kafka.samplingTopics().hostKeys(), registry, keys::apply, failures, keys.deadLetters::setAside);
        keys.reader.start();
        return keys;
    }

    /** Completes once every key the topic held at start is known. */
    public CompletableFuture<Void> caughtUp() {
        return reader == null ? CompletableFuture.completedFuture(null) : reader.caughtUp();
    }

    /**
     * The principal a key authenticates as.
     *
     * @throws BearerTokens.Refused when the key is malformed, unknown, revoked or lacks the scope; the message says
     *     which, never the key
     */
    public HostPrincipal verify(String credential) throws BearerTokens.Refused {
        HostKeyText.Parts parts = HostKeyText.parse(credential)
                .orElseThrow(() -> new BearerTokens.Refused("the API key is malformed", false));
        HostKey key = keys.get(parts.keyId());
        if (key == null || !HostKeyText.matches(parts.secret(), bytes(key))) {
            throw new BearerTokens.Refused("unknown API key " + parts.keyId(), false);
        }
        if (key.getRevokedAt() != null) {
            throw new BearerTokens.Refused("the API key " + parts.keyId() + " was revoked at " + key.getRevokedAt(),
                    false);
        }
        if (!key.getScopes().contains(requiredScope)) {
            throw new BearerTokens.Refused("the API key " + parts.keyId() + " lacks the scope " + requiredScope, true);
        }
        return new HostPrincipal(key.getHostId(), key.getTenant(), Set.copyOf(key.getScopes()));
    }

    /** A key's latest state (null: deleted). */
    void apply(String keyId, HostKey key) {
        if (key == null) {
            keys.remove(keyId);
        } else {
            keys.put(keyId, key);
        }
    }

    private static byte[] bytes(HostKey key) {
        java.nio.ByteBuffer hash = key.getSecretSha256().duplicate();
        byte[] bytes = new byte[hash.remaining()];
        hash.get(bytes);
        return bytes;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            deadLetters.close();
        }
    }
}
