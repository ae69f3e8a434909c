package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class KafkaVolumeTest {

    @Test
    void givenTopicVolumes_whenTabled_thenEachIsPerRequestOfTheRequestsTopicAndTheTotalSumsThem() {
        List<KafkaVolume.TopicVolume> volumes = List.of(
                new KafkaVolume.TopicVolume("sampling.decisions", 1_000, 4_000_000),
                new KafkaVolume.TopicVolume("sampling.requests", 1_000, 3_000_000),
                new KafkaVolume.TopicVolume("approval-usage-changelog", 2_000, 200_000));

        String table = KafkaVolume.table(volumes, "sampling.requests");

        assertThat(table).contains("| sampling.decisions | 1,000 | 3.8 | 1.00 | 4,000 |")
                .contains("| approval-usage-changelog | 2,000 | 0.2 | 2.00 | 200 |")
                .contains("| **all** | 4,000 | 6.9 | 4.00 | 7,200 |");
    }

    @Test
    void givenNoRequestsTopic_whenTabled_thenPerRequestFiguresSayNotAvailable() {
        String table = KafkaVolume.table(List.of(new KafkaVolume.TopicVolume("other", 5, 10)), "sampling.requests");

        assertThat(table).contains("| other | 5 | 0.0 | n/a | n/a |");
    }
}
