package io.samplingbroker.broker.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.samplingbroker.broker.sampling.HostIdentity;
import io.vertx.core.json.JsonObject;

class RequestStateSealTest {

    private static final byte[] SECRET = "a shared secret of thirty-two bytes!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String OWNER = HostIdentity.authenticated("alice-laptop", "acme", null).owner();
    private final HeldRound held = new HeldRound("server-state-\u00e9", new JsonObject().put("llm",
            new JsonObject().put("model", "m").put("content", new JsonObject().put("text", "secret completion"))),
            new JsonObject().put("ask", new JsonObject().put("c", "AAEC").put("t", 7L)), 2, "tools/call", "mixed",
            NOW.plusSeconds(3600), OWNER);

    @Test
    void givenASealedRound_whenAnotherInstanceWithTheSameKeyOpensIt_thenEverythingComesBackAndNothingIsReadable() {
        String state = new RequestStateSeal(SECRET).seal(held);

        assertThat(RequestStateSeal.isSealed(state)).isTrue();
        assertThat(state).doesNotContain("secret completion").doesNotContain("server-state");
        assertThat(new RequestStateSeal(SECRET).open(state, NOW, "tools/call", "mixed", OWNER)).isEqualTo(held);
    }

    @Test
    void givenAnAlteredState_whenOpened_thenItIsRefused() {
        String state = new RequestStateSeal(SECRET).seal(held);
        char last = state.charAt(state.length() - 5);
        String altered = state.substring(0, state.length() - 5) + (last == 'A' ? 'B' : 'A') + state.substring(state.length() - 4);

        assertThatThrownBy(() -> new RequestStateSeal(SECRET).open(altered, NOW, "tools/call", "mixed", OWNER))
                .hasMessage("it was altered");
        assertThatThrownBy(() -> new RequestStateSeal(SECRET).open(RequestStateSeal.PREFIX + "!!", NOW, "tools/call",
                "mixed", OWNER)).hasMessage("it was altered");
        assertThatThrownBy(() -> new RequestStateSeal("another secret of thirty-two bytes!!".getBytes(
                StandardCharsets.UTF_8)).open(state, NOW, "tools/call", "mixed", OWNER)).hasMessage("it was altered");
        assertThatThrownBy(() -> new RequestStateSeal(SECRET).open("server-made", NOW, "tools/call", "mixed", OWNER))
                .hasMessage("it is not one the broker gave");
    }

    @Test
    void givenAStateShorterThanANonceAndATag_whenOpened_thenItIsRefusedAsAltered() {
        // found by HostRetryFuzzTest: 12 to 27 bytes made the JDK's GCM throw a ProviderException
        String shortState = RequestStateSeal.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[20]);

        assertThatThrownBy(() -> new RequestStateSeal(SECRET).open(shortState, NOW, "tools/call", "mixed", OWNER))
                .isInstanceOf(RequestStateSeal.InvalidRequestStateException.class).hasMessage("it was altered");
    }

    @Test
    void givenAnExpiredStateOrOneForAnotherCall_whenOpened_thenItIsRefusedWithTheReason() {
        String state = new RequestStateSeal(SECRET).seal(held);

        assertThatThrownBy(() -> new RequestStateSeal(SECRET).open(state, NOW.plusSeconds(3601), "tools/call", "mixed",
                OWNER))
                .hasMessageStartingWith("it expired at 2026-12-01T11:00:00Z");
        assertThatThrownBy(() -> new RequestStateSeal(SECRET).open(state, NOW, "tools/call", "sample", OWNER))
                .hasMessage("it belongs to another call (tools/call mixed)");
    }

    @Test
    void givenARoundHandedToOneHost_whenAnotherPrincipalRetriesWithIt_thenItIsRefused() {
        String state = new RequestStateSeal(SECRET).seal(held);
        String sameNameOtherTenant = HostIdentity.authenticated("alice-laptop", "globex", null).owner();

        assertThatThrownBy(() -> new RequestStateSeal(SECRET).open(state, NOW, "tools/call", "mixed",
                HostIdentity.authenticated("mallory", "acme", null).owner())).hasMessage("it was given to another host");
        assertThatThrownBy(() -> new RequestStateSeal(SECRET).open(state, NOW, "tools/call", "mixed",
                sameNameOtherTenant)).hasMessage("it was given to another host");
        assertThatThrownBy(() -> new RequestStateSeal(SECRET).open(state, NOW, "tools/call", "mixed",
                HostIdentity.selfNamed("alice-laptop").owner())).hasMessage("it was given to another host");
    }
}
