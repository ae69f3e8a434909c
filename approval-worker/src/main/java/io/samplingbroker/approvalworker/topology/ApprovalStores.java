package io.samplingbroker.approvalworker.topology;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The state stores. All are persistent (RocksDB), so a restart reads only what changed; the task stores are
 * changelogged by Kafka Streams, so a crash loses no counter.
 */
public final class ApprovalStores {

    /** Requests counted per rate-limit rule and host or server, in UTC minutes. */
    public static final String REQUEST_COUNTS = "rate-limit-counts";
    /** Tokens per token-budget rule and host or server, in UTC days: reservations, and what completions used. */
    public static final String TOKEN_USAGE = "token-budget-usage";
    /** What each request added to the counters, so deciding it again charges nothing twice. */
    public static final String REQUEST_CHARGES = "request-charges";
    /** Monthly token budgets and daily and monthly cost budgets (micro-units), per rule and scope. */
    public static final String BUDGET_USAGE = "budget-usage";
    /** Budget reservations waiting for their completion (or for their request to end without one). */
    public static final String BUDGET_RESERVATIONS = "budget-reservations";
    /** Request ids whose life already ended (cancelled, expired, abandoned, delivered); a global store. */
    public static final String CONCLUDED_REQUESTS = "concluded-requests";

    /** The stores of the task that decides counted requests and settles their usage. */
    static final String[] COUNTER_STORES = {REQUEST_COUNTS, TOKEN_USAGE, BUDGET_USAGE, REQUEST_CHARGES,
        BUDGET_RESERVATIONS};

    // Retention covers the window plus the time a crashed task takes to come back and redo its last records.
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration DAY = Duration.ofDays(1);

    private ApprovalStores() {
    }

    static StoreBuilder<WindowStore<String, Long>> requestCounts() {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(REQUEST_COUNTS, Duration.ofMinutes(10), MINUTE,
                false), Serdes.String(), Serdes.Long()).withCachingDisabled();
    }

    static StoreBuilder<WindowStore<String, Long>> tokenUsage() {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(TOKEN_USAGE, Duration.ofDays(2), DAY, false),
                Serdes.String(), Serdes.Long()).withCachingDisabled();
    }

    static StoreBuilder<WindowStore<String, byte[]>> requestCharges() {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(REQUEST_CHARGES, DAY, MINUTE, false),
                Serdes.String(), Serdes.ByteArray()).withCachingDisabled();
    }

    /** Windows are looked up by their exact start; retention keeps the current and the previous month. */
    static StoreBuilder<WindowStore<String, Long>> budgetUsage() {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(BUDGET_USAGE, Duration.ofDays(63),
                Duration.ofDays(31), false), Serdes.String(), Serdes.Long()).withCachingDisabled();
    }

    static StoreBuilder<KeyValueStore<String, byte[]>> budgetReservations() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUDGET_RESERVATIONS), Serdes.String(),
                Serdes.ByteArray()).withCachingDisabled();
    }

    /** Global stores are rebuilt from their source topic, so they have no changelog of their own. */
    static StoreBuilder<KeyValueStore<String, Long>> concludedRequests() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONCLUDED_REQUESTS), Serdes.String(),
                Serdes.Long()).withLoggingDisabled();
    }
}
