package io.samplingbroker.audit;

import static io.samplingbroker.audit.Events.COMPLETIONS;
import static io.samplingbroker.audit.Events.DECISIONS;
import static io.samplingbroker.audit.Events.LIFECYCLE;
import static io.samplingbroker.audit.Events.REQUESTS;
import static io.samplingbroker.audit.Events.RESULTS;
import static io.samplingbroker.audit.Events.T0;
import static io.samplingbroker.audit.Events.completed;
import static io.samplingbroker.audit.Events.context;
import static io.samplingbroker.audit.Events.decided;
import static io.samplingbroker.audit.Events.delivered;
import static io.samplingbroker.audit.Events.requested;
import static io.samplingbroker.audit.Events.resolvedResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.samplingbroker.audit.timeline.Timeline;
import io.samplingbroker.audit.timeline.TimelineFilter;
import io.samplingbroker.events.DeciderKind;
import io.samplingbroker.events.Decision;
import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.serviceruntime.Glob;

class TimelineFilterTest {

    /** Approved by reviewer alice at T0 + 10 min, answered by offline-echo, for host cursor-bob on server github. */
    private static Timeline timeline() {
        SamplingContext c = context("3f2a-77", "cursor-bob", "github", T0.plusSeconds(600), T0.plusSeconds(630));
        return Events.replay()
                .add(REQUESTS, 600_000, requested(c, "hello"))
                .add(DECISIONS, 600_010, decided(c, 600_010, Decision.APPROVED, DeciderKind.REVIEWER, "alice", null, List.of()))
                .add(COMPLETIONS, 600_020, completed(c, 600_020, "gpt-4o-mini", 1, 1))
                .add(RESULTS, 600_021, resolvedResult(c, 600_021, "gpt-4o-mini"))
                .add(LIFECYCLE, 600_030, delivered(c, 600_030, null))
                .finish().only();
    }

    private static TimelineFilter filter(String host, String server, String request, String outcome, String model,
            String reviewer) {
        return new TimelineFilter(null, null, List.of(), globs(host), globs(server), List.of(), globs(request), globs(outcome),
                globs(model), globs(reviewer));
    }

    private static List<Glob> globs(String text) {
        return text == null ? List.of() : List.of(new Glob(text));
    }

    @Test
    void givenGlobsThatMatch_whenFiltered_thenTheTimelineIsKept() {
        // Given
        Timeline t = timeline();
        // When / Then
        assertThat(TimelineFilter.none().matches(t)).isTrue();
        assertThat(filter("CURSOR-*", "git?ub", "3f2a*", "approved", "gpt-*", "alice").matches(t)).isTrue();
    }

    @Test
    void givenAnyCriterionThatDoesNotMatch_whenFiltered_thenTheTimelineIsLeftOut() {
        Timeline t = timeline();

        assertThat(filter("vscode-*", null, null, null, null, null).matches(t)).isFalse();
        assertThat(filter(null, "everything", null, null, null, null).matches(t)).isFalse();
        assertThat(filter(null, null, "9*", null, null, null).matches(t)).isFalse();
        assertThat(filter(null, null, null, "denied", null, null).matches(t)).isFalse();
        assertThat(filter(null, null, null, null, "claude*", null).matches(t)).isFalse();
        assertThat(filter(null, null, null, null, null, "bob").matches(t)).isFalse();
    }

    @Test
    void givenATimeRange_whenFiltered_thenTheRequestTimeMustLieInIt() {
        Timeline t = timeline(); // requested at T0 + 600 s

        assertThat(new TimelineFilter(T0, T0.plusSeconds(601), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of()).matches(t)).isTrue();
        assertThat(new TimelineFilter(T0.plusSeconds(601), null, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of()).matches(t)).isFalse();
        assertThat(new TimelineFilter(null, T0.plusSeconds(600), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of()).matches(t)).as("--to is exclusive").isFalse();
    }

    @Test
    void givenATenantFilter_whenFiltered_thenOnlyTimelinesKnownToBeOfTheTenantAreKept() {
        SamplingContext acme = SamplingContext.newBuilder(context("a-1", "ci", "github", T0, T0.plusSeconds(30)))
                .setTenant("acme").build();
        Timeline ofAcme = Events.replay().add(REQUESTS, 1, requested(acme, "hi")).finish().only();
        TimelineFilter onlyAcme = new TimelineFilter(null, null, globs("acme"), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of());

        assertThat(onlyAcme.matches(ofAcme)).isTrue();
        assertThat(onlyAcme.matches(timeline())).as("a request without a tenant").isFalse();
        assertThat(new TimelineFilter(null, null, globs("globex"), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of()).matches(ofAcme)).isFalse();
    }
}
