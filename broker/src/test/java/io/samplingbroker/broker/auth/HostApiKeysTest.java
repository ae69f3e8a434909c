package io.samplingbroker.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.HostKey;
import io.samplingbroker.serviceruntime.keys.HostKeyText;

class HostApiKeysTest {

    private final HostApiKeys keys = new HostApiKeys(HostAuthSettings.DEFAULT_SCOPE);

    @Test
    void givenAnIssuedKey_whenVerified_thenItsHostAndTenantAreThePrincipal() throws Exception {
        // Given
        HostKeyText.Issued issued = issue("ci-runner", "tenant-a", "sampling:use");
        // When
        HostPrincipal principal = keys.verify(issued.text());
        // Then
        assertThat(principal.subject()).isEqualTo("ci-runner");
        assertThat(principal.tenant()).isEqualTo("tenant-a");
        assertThat(principal.scopes()).containsExactly("sampling:use");
    }

    @Test
    void givenARevokedKey_whenVerified_thenItIsRefusedSayingWhen() {
        HostKeyText.Issued issued = issue("ci-runner", null, "sampling:use");
        HostKey revoked = HostKey.newBuilder(record(issued, "ci-runner", null, "sampling:use"))
                .setRevokedAt(Instant.parse("2026-12-02T05:00:00Z")).build();
        keys.apply(issued.keyId(), revoked);

        assertThatThrownBy(() -> keys.verify(issued.text())).isInstanceOf(BearerTokens.Refused.class)
                .hasMessage("the API key " + issued.keyId() + " was revoked at 2026-12-02T05:00:00Z");
    }

    @Test
    void givenAKeyWithAnotherSecret_whenVerified_thenItIsUnknownAndTheMessageHoldsNoSecret() {
        HostKeyText.Issued issued = issue("ci-runner", null, "sampling:use");
        String forged = issued.text().substring(0, 21) + HostKeyText.issue().text().substring(21);

        assertThatThrownBy(() -> keys.verify(forged)).isInstanceOf(BearerTokens.Refused.class)
                .hasMessage("unknown API key " + issued.keyId());
    }

    @Test
    void givenNoSuchKeyOrAMalformedOne_whenVerified_thenEachIsRefused() {
        assertThatThrownBy(() -> keys.verify(HostKeyText.issue().text())).hasMessageStartingWith("unknown API key");
        assertThatThrownBy(() -> keys.verify("sbk_nope")).hasMessage("the API key is malformed");
    }

    @Test
    void givenAKeyWithoutTheScope_whenVerified_thenItIsInsufficientScope() {
        HostKeyText.Issued issued = issue("reviewer-bot", null, "sampling:review");

        assertThatThrownBy(() -> keys.verify(issued.text())).isInstanceOfSatisfying(BearerTokens.Refused.class,
                refused -> assertThat(refused.insufficientScope()).isTrue());
    }

    @Test
    void givenADeletedKey_whenVerified_thenItIsUnknown() {
        HostKeyText.Issued issued = issue("ci-runner", null, "sampling:use");
        keys.apply(issued.keyId(), null);

        assertThatThrownBy(() -> keys.verify(issued.text())).hasMessageStartingWith("unknown API key");
    }

    private HostKeyText.Issued issue(String host, String tenant, String scope) {
        HostKeyText.Issued issued = HostKeyText.issue();
        keys.apply(issued.keyId(), record(issued, host, tenant, scope));
        return issued;
    }

    private static HostKey record(HostKeyText.Issued issued, String host, String tenant, String scope) {
        return HostKey.newBuilder().setKeyId(issued.keyId()).setHostId(host).setTenant(tenant).setScopes(List.of(scope))
                .setSecretSha256(ByteBuffer.wrap(issued.secretSha256())).setDescription(null)
                .setCreatedAt(Instant.parse("2026-12-01T00:00:00Z")).setRevokedAt(null).build();
    }
}
