package io.samplingbroker.audit.replay;

import java.time.Duration;

import io.samplingbroker.audit.timeline.TimelineFilter;
import io.samplingbroker.audit.verify.AuditScope;

/**
 * How to replay.
 *
 * @param scope the time range, the replay's start time and the grace after deadlines
 * @param filter which timelines to emit
 * @param settle how long (by record time) a timeline stays open after its terminal event, so that events written
 *     just after it (a delivery after an expiry) join it
 * @param lateWindow how long (by record time) a closed request's id is remembered, to name events that come later
 *     than that as late rather than unknown
 * @param timeout how long to wait for Kafka when planning the replay
 * @param showContent keep prompt and completion text and unredacted changes
 */
public record ReplayOptions(AuditScope scope, TimelineFilter filter, Duration settle, Duration lateWindow,
        Duration timeout, boolean showContent) {

    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_LATE_WINDOW = Duration.ofMinutes(15);
}
