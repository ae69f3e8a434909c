package io.samplingbroker.broker.delegation;

import java.time.Duration;
import java.util.Locale;

/**
 * How long a host is willing to wait for an outcome: RFC 7240's {@code Prefer: respond-async} or {@code wait=N}
 * (seconds) on a POST, {@code ?wait=30s} on a GET; never past the broker's limit.
 *
 * @param patience how long to wait; zero: answer at once
 * @param async whether the host asked for {@code respond-async}
 */
record WaitPreference(Duration patience, boolean async) {

    /** A POST's preference: {@code maxWait} unless its {@code Prefer} header says otherwise. */
    static WaitPreference ofPrefer(String prefer, Duration maxWait) {
        Duration wait = maxWait;
        boolean async = false;
        if (prefer != null) {
            for (String token : prefer.split(",")) {
                String preference = token.trim().toLowerCase(Locale.ROOT);
                if (preference.equals("respond-async")) {
                    async = true;
                } else if (preference.startsWith("wait=")) {
                    wait = min(seconds(preference.substring(5).trim(), maxWait), maxWait);
                }
            }
        }
        return new WaitPreference(async ? Duration.ZERO : wait, async);
    }

    /**
     * A GET's {@code wait} (already checked against the document's pattern: digits, then {@code ms}, {@code s} or
     * nothing for seconds); none answers at once.
     */
    static WaitPreference ofQuery(String wait, Duration maxWait) {
        if (wait == null || wait.isEmpty()) {
            return new WaitPreference(Duration.ZERO, false);
        }
        Duration asked = wait.endsWith("ms") ? Duration.ofMillis(Long.parseLong(wait.substring(0, wait.length() - 2)))
                : Duration.ofSeconds(Long.parseLong(wait.endsWith("s") ? wait.substring(0, wait.length() - 1) : wait));
        return new WaitPreference(min(asked, maxWait), false);
    }

    /** RFC 7240 ignores a preference it cannot read: then the limit stands. */
    private static Duration seconds(String value, Duration otherwise) {
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? otherwise : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
