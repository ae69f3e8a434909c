package io.samplingbroker.broker.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PendingQuotaTest {

    private final PendingQuota quota = new PendingQuota(SamplingLimits.of(Duration.ofSeconds(30)).withPending(2, 3));

    @Test
    void givenASessionAtItsLimit_whenItAsksAgain_thenItIsRefusedAndAnotherSessionIsNot() {
        assertThat(quota.take("s1", "alice")).isNull();
        assertThat(quota.take("s1", "alice")).isNull();

        assertThat(quota.take("s1", "alice")).contains("broker.sampling.pending.per.session=2");
        assertThat(quota.take("s2", "alice")).as("the host still has one place").isNull();
        assertThat(quota.take("s3", "alice")).contains("broker.sampling.pending.per.host=3");
        assertThat(quota.take("s4", "bob")).as("another host").isNull();
    }

    @Test
    void givenARefusalByTheHostLimit_thenTheSessionsPlaceIsNotKeptAndAnAnsweredRequestGivesItsPlaceBack() {
        quota.take("s1", "alice");
        quota.take("s1", "alice");
        quota.take("s2", "alice");
        assertThat(quota.take("s3", "alice")).isNotNull();

        quota.give("s1", "alice");

        assertThat(quota.take("s3", "alice")).as("s3 held nothing after its refusal").isNull();
        assertThat(quota.take("s3", "alice")).contains("per.host");
    }
}
