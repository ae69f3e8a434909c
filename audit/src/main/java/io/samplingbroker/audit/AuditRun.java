package io.samplingbroker.audit;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.samplingbroker.audit.replay.HeapSampler;
import io.samplingbroker.audit.replay.Progress;
import io.samplingbroker.audit.replay.Replay;
import io.samplingbroker.audit.replay.ReplayStats;
import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.audit.verify.AuditCheck;

/** What every command does around its own output: settings, the replay, progress, and the closing lines. */
final class AuditRun {

    private AuditRun() {
    }

    static Replay.Result replay(AuditMain main, CommonOptions options, List<AuditCheck> checks, Consumer<Timeline> sink) {
        Progress progress = new Progress(main.err, main.terminal);
        try (HeapSampler heap = options.stats ? new HeapSampler() : null) {
            Replay.Result result = new Replay(options.kafkaSettings(main.environment), options.replayOptions(Instant.now()),
                    checks, sink, progress).run();
            if (heap != null) {
                ReplayStats stats = result.stats();
                main.err.printf(Locale.ROOT, "stats: %,d records (of %,d planned) in %.1f s (%,.0f records/s); peak"
                        + " heap used %,d MiB, peak after GC %,d MiB, max heap %,d MiB%n", stats.records(), stats.planned(),
                        stats.elapsedSeconds(),
                        stats.recordsPerSecond(), heap.peakUsedBytes() >> 20, heap.peakAfterGcBytes() >> 20,
                        Runtime.getRuntime().maxMemory() >> 20);
            }
            return result;
        }
    }

    /** The closing line: how many shown, still open, set aside; on stderr when stdout carries JSON Lines. */
    static void footer(AuditMain main, CommonOptions options, ReplayStats stats) {
        // A review command carries no request context, so one whose request lies after --to is only known to have
        // no request in range: the first count says that, not "before --from".
        String line = String.format(Locale.ROOT, "%,d requests (%,d still open), %,d records read;"
                + " %,d set aside (their request is not in range), %,d events of requests asked at or after --to,"
                + " %,d filtered out", stats.timelines(), stats.open(), stats.records(), stats.carriedOver(),
                stats.afterRange(), stats.filteredOut());
        if (stats.undecodable() > 0) {
            line += String.format(Locale.ROOT, "; %,d records could not be decoded (verify names them)", stats.undecodable());
        }
        if (stats.lateEvents() > 0) {
            line += String.format(Locale.ROOT, "; %,d events arrived after their request's timeline was printed",
                    stats.lateEvents());
        }
        (options.format == CommonOptions.Format.jsonl ? main.err : main.out).println(line);
    }
}
