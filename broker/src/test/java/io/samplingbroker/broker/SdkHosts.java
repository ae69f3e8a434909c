package io.samplingbroker.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.samplingbroker.testsupport.TestPeers;
import io.vertx.core.json.JsonObject;

/** The test hosts on the SDK v1 and v2 ({@code test-peers/v1-client.mjs}, {@code v2-client.mjs}), through a broker. */
final class SdkHosts {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);

    private SdkHosts() {
    }

    /**
     * Runs a host on the SDK {@code sdk} ({@code v1} or {@code v2}) that calls {@code tool} of {@code server} through
     * {@code broker}, naming itself {@code hostId} (null: its clientInfo name).
     */
    static TestPeers.ClientResult call(String sdk, Broker broker, String server, String hostId, String tool,
            String arguments, String... options) {
        return TestPeers.runHost(sdk + "-client.mjs", broker.mcpUrl(server), tool, arguments, List.of(options),
                hostId == null ? Map.of() : Map.of("HOST_ID", hostId), CLIENT_TIMEOUT);
    }

    /** The text of the first content block of the host's result. */
    static String text(TestPeers.ClientResult result) {
        return new JsonObject(result.output()).getJsonObject("result").getJsonArray("content").getJsonObject(0)
                .getString("text");
    }
}
