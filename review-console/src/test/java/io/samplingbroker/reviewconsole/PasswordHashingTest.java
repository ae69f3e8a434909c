package io.samplingbroker.reviewconsole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashingTest {

    private static final String HASH = PasswordHashing.hash("correct horse".toCharArray());

    @Test
    void givenAHash_whenTheRightPasswordIsVerified_thenItMatches() {
        // Given
        PasswordHashing.StoredHash stored = PasswordHashing.parse(HASH);
        // When / Then
        assertThat(PasswordHashing.verify("correct horse".toCharArray(), stored)).isTrue();
    }

    @Test
    void givenAHash_whenAWrongPasswordIsVerified_thenItDoesNotMatch() {
        // Given
        PasswordHashing.StoredHash stored = PasswordHashing.parse(HASH);
        // When / Then
        assertThat(PasswordHashing.verify("correct horsf".toCharArray(), stored)).isFalse();
        assertThat(PasswordHashing.verify(new char[0], stored)).isFalse();
    }

    @Test
    void givenOnePassword_whenHashedTwice_thenSaltsAndHashesDiffer() {
        // When
        PasswordHashing.StoredHash first = PasswordHashing.parse(PasswordHashing.hash("same".toCharArray()));
        PasswordHashing.StoredHash second = PasswordHashing.parse(PasswordHashing.hash("same".toCharArray()));
        // Then
        assertThat(first.salt()).hasSize(16).isNotEqualTo(second.salt());
        assertThat(first.hash()).isNotEqualTo(second.hash());
        assertThat(first.iterations()).isGreaterThanOrEqualTo(210_000);
    }

    @Test
    void givenANewHash_whenPrinted_thenItHasTheDocumentedForm() {
        // Then
        assertThat(HASH).matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(PasswordHashing.parse(HASH).toString()).doesNotContain(HASH.split("\\$")[3]);
    }

    @Test
    void givenMalformedHashes_whenParsed_thenEachIsRefusedWithoutEchoingIt() {
        // Then
        assertThatThrownBy(() -> PasswordHashing.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PasswordHashing.parse("sha1$abc")).hasMessageContaining("not a pbkdf2-sha256");
        assertThatThrownBy(() -> PasswordHashing.parse("pbkdf2-sha256$many$AAAA$BBBB"))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> PasswordHashing.parse(HASH.replace("$210000$", "$1000$")))
                .hasMessageContaining("too weak");
        assertThatThrownBy(() -> PasswordHashing.parse(HASH.substring(0, HASH.lastIndexOf('$') + 1) + "!!!"))
                .hasMessageContaining("hash is not base64").hasMessageNotContaining("!!!");
        assertThatThrownBy(() -> PasswordHashing.parse("pbkdf2-sha256$210000$AAAA$" + HASH.split("\\$")[3]))
                .hasMessageContaining("salt has 3 bytes");
    }

    @Test
    void givenAnUnknownReviewer_whenTheDecoyIsVerified_thenItNeverMatches() {
        // Then
        assertThat(PasswordHashing.verifyDecoy("decoy".toCharArray())).isFalse();
    }
}
