package io.samplingbroker.serviceruntime.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HostKeyTextTest {

    @Test
    void givenAnIssuedKey_whenParsed_thenItsSecretMatchesWhatIsStoredAndNothingElseDoes() {
        // Given
        HostKeyText.Issued issued = HostKeyText.issue();
        // When
        HostKeyText.Parts parts = HostKeyText.parse(issued.text()).orElseThrow();
        // Then
        assertThat(parts.keyId()).isEqualTo(issued.keyId()).hasSize(16);
        assertThat(HostKeyText.matches(parts.secret(), issued.secretSha256())).isTrue();
        String other = HostKeyText.parse(HostKeyText.issue().text()).orElseThrow().secret();
        assertThat(HostKeyText.matches(other, issued.secretSha256())).isFalse();
        assertThat(issued.secretSha256()).hasSize(32);
    }

    @Test
    void givenManyKeys_thenIdsAndSecretsDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            HostKeyText.Issued issued = HostKeyText.issue();
            ids.add(issued.keyId());
            texts.add(issued.text());
        }
        assertThat(ids).hasSize(1_000);
        assertThat(texts).hasSize(1_000);
    }

    @Test
    void givenMalformedKeys_thenTheyAreKeysButDoNotParse() {
        String good = HostKeyText.issue().text();
        for (String bad : new String[] {"sbk_", "sbk_0123", good + "x", good.substring(0, good.length() - 1),
            good.replace("sbk_", "sbk_X"), "sbk_0123456789abcdeg_" + good.substring(21)}) {
            assertThat(HostKeyText.isKey(bad)).as(bad).isTrue();
            assertThat(HostKeyText.parse(bad)).as(bad).isEmpty();
        }
        assertThat(HostKeyText.isKey("eyJhbGciOiJSUzI1NiJ9.e30.sig")).isFalse();
    }

    @Test
    void givenAnIssuedKey_whenPrinted_thenTheSecretIsNotShown() {
        HostKeyText.Issued issued = HostKeyText.issue();
        HostKeyText.Parts parts = HostKeyText.parse(issued.text()).orElseThrow();

        assertThat(issued.toString()).contains(issued.keyId()).doesNotContain(parts.secret());
        assertThat(parts.toString()).doesNotContain(parts.secret());
    }
}
