package io.samplingbroker.approvalworker.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;

/** The calendar window a budget counts in: a day or a month, in the budget's time zone (UTC unless it names one). */
public enum BudgetPeriod {
    DAY, MONTH;

    /** Epoch milliseconds at which the window holding {@code epochMillis} starts. */
    public long windowStart(long epochMillis, ZoneId zone) {
        LocalDate date = Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
        LocalDate first = this == DAY ? date : date.withDayOfMonth(1);
        return first.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
