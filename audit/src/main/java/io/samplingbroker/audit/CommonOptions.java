package io.samplingbroker.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.samplingbroker.audit.replay.ReplayOptions;
import io.samplingbroker.audit.timeline.TimelineFilter;
import io.samplingbroker.audit.verify.AuditScope;
import io.samplingbroker.serviceruntime.Glob;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.cli.KafkaConnectionOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options every audit command takes: where the topics are, which range, which requests, which format. */
public final class CommonOptions {

    public enum Format { table, jsonl }

    @Mixin
    KafkaConnectionOptions connection;

    @Option(names = "--from", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Requests asked from this time: ISO-8601 instant or date (UTC), or back from now (7d, 12h).")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Requests asked before this time (exclusive); same forms as --from.")
    Instant to;

    @Option(names = "--tenant", split = ",", paramLabel = "GLOB",
            description = "Tenants (globs), as the hosts' credentials named them. On shared topics a filter, not a"
                    + " boundary: whoever runs the audit reads every tenant's events.")
    List<String> tenants = new ArrayList<>();

    @Option(names = "--host", split = ",", paramLabel = "GLOB", description = "Host ids (globs: *, ?).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--server", split = ",", paramLabel = "GLOB", description = "Upstream server names.")
    List<String> servers = new ArrayList<>();

    @Option(names = "--session", split = ",", paramLabel = "GLOB", description = "Broker session ids.")
    List<String> sessions = new ArrayList<>();

    @Option(names = "--request", split = ",", paramLabel = "GLOB", description = "Request ids.")
    List<String> requests = new ArrayList<>();

    @Option(names = "--outcome", split = ",", paramLabel = "GLOB",
            description = "approved, amended, edited, denied, failed, rejected, error, expired, cancelled, abandoned,"
                    + " open, unterminated, orphan.")
    List<String> outcomes = new ArrayList<>();

    @Option(names = "--model", split = ",", paramLabel = "GLOB", description = "Models that answered.")
    List<String> models = new ArrayList<>();

    @Option(names = "--reviewer", split = ",", paramLabel = "GLOB", description = "Reviewers who decided.")
    List<String> reviewers = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or jsonl (one JSON object per line).")
    Format format;

    @Option(names = "--show-content", description = "Show prompt and completion text and reviewers' edits in full"
            + " (by default only sizes: prompts are sensitive).")
    boolean showContent;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long after its deadline a request may lack a terminal event and count as open (default 2m).")
    Duration grace;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long after a terminal event later events still join the timeline (default 60s).")
    Duration settle;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "How long to wait for Kafka before giving up (default 15s).")
    Duration timeout;

    @Option(names = "--stats", description = "Print records read, time, rate and peak heap to stderr at the end.")
    boolean stats;

    /** Settings as a service reads them (file, then environment), then these options, then the dev-stack defaults. */
    KafkaSettings kafkaSettings(Map<String, String> environment) {
        return connection.kafkaSettings(environment, timeout.toMillis(), "audit");
    }

    ReplayOptions replayOptions(Instant now) {
        TimelineFilter filter = new TimelineFilter(from, to, globs(tenants), globs(hosts), globs(servers), globs(sessions),
                globs(requests), globs(outcomes), globs(models), globs(reviewers));
        return new ReplayOptions(new AuditScope(from, to, now, grace), filter, settle,
                ReplayOptions.DEFAULT_LATE_WINDOW, timeout, showContent);
    }

    private static List<Glob> globs(List<String> texts) {
        return texts.stream().filter(t -> !t.isBlank()).map(Glob::new).toList();
    }

    /** Parses --from and --to; a bad value is a usage error (exit 2). */
    public static final class TimeConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return TimeSpec.parseTime(value, Instant.now());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return TimeSpec.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
