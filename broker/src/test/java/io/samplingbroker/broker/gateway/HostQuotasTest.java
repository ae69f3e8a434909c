package io.samplingbroker.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.samplingbroker.broker.GatewayLimits;

class HostQuotasTest {

    @Test
    void givenAHostAtItsSessionLimit_whenItOpensAnother_thenItIsRefusedAndOtherHostsAreNot() {
        HostQuotas quotas = new HostQuotas(new GatewayLimits(2, 10, 5, 5));
        assertThat(quotas.openSession("alice")).isNull();
        assertThat(quotas.openSession("alice")).isNull();

        HostQuotas.Refusal third = quotas.openSession("alice");

        assertThat(third.message()).contains("host alice").contains("broker.limits.sessions.per.host=2");
        assertThat(third.retryAfter()).isEqualTo(HostQuotas.SESSION_RETRY);
        assertThat(quotas.openSession("bob")).isNull();
        quotas.sessionClosed("alice");
        assertThat(quotas.openSession("alice")).as("a closed session gives its place back").isNull();
    }

    @Test
    void givenTheGatewayAtItsTotal_whenAnyHostOpensASession_thenItIsRefusedUntilOneCloses() {
        HostQuotas quotas = new HostQuotas(new GatewayLimits(2, 3, 5, 5));
        quotas.openSession("a");
        quotas.openSession("b");
        quotas.openSession("c");

        assertThat(quotas.openSession("d").message()).contains("broker.limits.sessions.total=3");
        quotas.sessionClosed("b");
        quotas.sessionClosed("b"); // given back twice: counted once
        assertThat(quotas.openSession("d")).isNull();
        assertThat(quotas.openSession("e")).as("still full after the double give-back").isNotNull();
    }

    @Test
    void givenAHostWithItsRequestsInFlight_whenItSendsOneMore_thenItIsRefusedUntilOneEnds() {
        HostQuotas quotas = new HostQuotas(new GatewayLimits(2, 10, 2, 5));
        assertThat(quotas.startCall("alice")).isNull();
        assertThat(quotas.startCall("alice")).isNull();

        HostQuotas.Refusal third = quotas.startCall("alice");

        assertThat(third.message()).contains("broker.limits.calls.per.host=2");
        assertThat(third.retryAfter()).isEqualTo(HostQuotas.CALL_RETRY);
        assertThat(quotas.startCall("bob")).isNull();
        quotas.callEnded("alice");
        assertThat(quotas.startCall("alice")).isNull();
    }
}
