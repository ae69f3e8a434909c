package io.samplingbroker.modelworker.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/** How long a provider asks to be left alone: {@code retry-after-ms} (OpenAI), else {@code Retry-After}. */
public final class RetryAfterHeader {

    private RetryAfterHeader() {
    }

    /**
     * @param millis the values of {@code retry-after-ms}
     * @param retryAfter the values of {@code Retry-After}: seconds, or an HTTP date
     * @return the wait, never negative; null when neither header says one
     */
    public static Duration of(List<String> millis, List<String> retryAfter, Clock clock) {
        if (!millis.isEmpty()) {
            try {
                return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(millis.get(0).trim()))));
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        if (retryAfter.isEmpty()) {
            return null;
        }
        String value = retryAfter.get(0).trim();
        try {
            return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
