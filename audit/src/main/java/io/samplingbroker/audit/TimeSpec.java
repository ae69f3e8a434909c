package io.samplingbroker.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times and durations as the command line writes them. A time is an ISO-8601 instant ({@code 2026-11-17T10:00:00Z}),
 * a date-time with an offset ({@code 2026-11-17T10:00+01:00}), a date-time or date without one (read as UTC; a date
 * is its midnight), or a duration back from now ({@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 2w}).
 */
public final class TimeSpec {

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d|w)");

    private TimeSpec() {
    }

    public static Instant parseTime(String text, Instant now) {
        String value = text.trim();
        if (RELATIVE.matcher(value.toLowerCase(Locale.ROOT)).matches()) {
            return now.minus(parseDuration(value));
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // try the next form
        }
        try {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use an ISO-8601 instant or date"
                    + " (2026-11-17T10:00:00Z, 2026-11-17) or a duration back from now (7d, 12h, 30m)");
        }
    }

    public static Duration parseDuration(String text) {
        Matcher matcher = RELATIVE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a number and a unit, e.g."
                    + " 500ms, 45s, 30m, 12h, 7d, 2w");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
    }
}
