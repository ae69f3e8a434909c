package io.samplingbroker.audit.timeline;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.samplingbroker.serviceruntime.Glob;

/**
 * Which timelines to show: requested in {@code [from, to)}, and for each other criterion given, at least one of its
 * globs matches (criteria combine with AND, globs of one criterion with OR). A timeline whose context is unknown
 * (review commands alone) passes the time range, and no tenant criterion: a tenant's audit shows only what is known
 * to be the tenant's.
 */
public record TimelineFilter(Instant from, Instant to, List<Glob> tenants, List<Glob> hosts, List<Glob> servers,
        List<Glob> sessions, List<Glob> requests, List<Glob> outcomes, List<Glob> models, List<Glob> reviewers) {

    public TimelineFilter {
        tenants = List.copyOf(tenants);
        hosts = List.copyOf(hosts);
        servers = List.copyOf(servers);
        sessions = List.copyOf(sessions);
        requests = List.copyOf(requests);
        outcomes = List.copyOf(outcomes);
        models = List.copyOf(models);
        reviewers = List.copyOf(reviewers);
    }

    /** Lets everything through. */
    public static TimelineFilter none() {
        return new TimelineFilter(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of());
    }

    public boolean matches(Timeline timeline) {
        Instant requestedAt = timeline.requestedAt();
        if (requestedAt != null && (from != null && requestedAt.isBefore(from) || to != null && !requestedAt.isBefore(to))) {
            return false;
        }
        return (tenants.isEmpty() || timeline.tenant() != null && any(tenants, List.of(timeline.tenant())))
                && any(hosts, List.of(nonNull(timeline.host())))
                && any(servers, List.of(nonNull(timeline.server())))
                && any(sessions, List.of(nonNull(timeline.session())))
                && any(requests, List.of(timeline.requestId()))
                && any(outcomes, List.of(timeline.outcome().label()))
                && any(models, timeline.models())
                && any(reviewers, timeline.reviewers());
    }

    private static boolean any(List<Glob> globs, Collection<String> values) {
        if (globs.isEmpty()) {
            return true;
        }
        for (Glob glob : globs) {
            for (String value : values) {
                if (glob.matches(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
