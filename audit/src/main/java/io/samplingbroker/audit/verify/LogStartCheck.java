package io.samplingbroker.audit.verify;

import io.samplingbroker.audit.replay.PartitionRange;

/**
 * Records deleted from the start of a partition (retention, {@code DeleteRecords}): the event topics keep everything
 * by design, so a log that no longer starts at offset 0 has lost history. Only when reading from the beginning; with
 * {@code --from} the range starts later on purpose.
 */
public final class LogStartCheck implements AuditCheck {

    @Override
    public String name() {
        return "log-start";
    }

    @Override
    public void onPartition(PartitionRange range, AuditScope scope, Findings findings) {
        if (scope.from() == null && range.logStart() > 0) {
            findings.add(name(), null, range.topic() + "[" + range.partition() + "]@0-" + (range.logStart() - 1),
                    range.logStart() + " records are gone from the start of the partition (retention or deletion)");
        }
    }
}
