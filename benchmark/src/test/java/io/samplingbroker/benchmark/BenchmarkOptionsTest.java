package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

    @Test
    void givenNoArguments_whenParsed_thenTheIssueDefaultsApply() {
        BenchmarkOptions options = BenchmarkOptions.parse();

        assertThat(options.rates()).containsExactly(250, 500, 1000, 2000);
        assertThat(options.stepSeconds()).isEqualTo(10);
        assertThat(options.searchP99Millis()).isEqualTo(50.0);
        assertThat(options.pendingCount()).isEqualTo(10_000);
        assertThat(options.search()).isTrue();
        assertThat(options.tracing()).isFalse();
        assertThat(options.direct()).isTrue();
    }

    @Test
    void givenOptions_whenParsed_thenEachIsApplied() {
        BenchmarkOptions options = BenchmarkOptions.parse("-rates", "100, 200", "-step", "3", "-warmup", "0",
                "-pending", "0", "-no-search", "-timeout", "2000", "-sustain-p99", "500", "-tracing", "-no-direct",
                "");

        assertThat(options.rates()).isEqualTo(List.of(100, 200));
        assertThat(options.stepSeconds()).isEqualTo(3);
        assertThat(options.warmupSeconds()).isZero();
        assertThat(options.pendingCount()).isZero();
        assertThat(options.search()).isFalse();
        assertThat(options.timeoutMillis()).isEqualTo(2000);
        assertThat(options.sustainP99Millis()).isEqualTo(500.0);
        assertThat(options.tracing()).isTrue();
        assertThat(options.direct()).isFalse();
    }

    @Test
    void givenABadValue_whenParsed_thenTheMessageNamesTheOption() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("-step", "0")).hasMessageContaining("-step");
        assertThatThrownBy(() -> BenchmarkOptions.parse("-rates", "x")).hasMessageContaining("-rates");
        assertThatThrownBy(() -> BenchmarkOptions.parse("-nope", "1")).hasMessageContaining("-nope");
        assertThatThrownBy(() -> BenchmarkOptions.parse("-step")).hasMessageContaining("needs a value");
    }

    @Test
    void givenProcessesAndInstances_whenParsed_thenTheSeparateProcessModeWithThatManyOfEach() {
        BenchmarkOptions options = BenchmarkOptions.parse("-processes", "-instances", "2");

        assertThat(options.processes()).isTrue();
        assertThat(options.instances()).isEqualTo(2);
        assertThat(BenchmarkOptions.parse().processes()).isFalse();
        assertThat(BenchmarkOptions.parse().instances()).isEqualTo(1);
    }

    @Test
    void givenInstancesWithoutProcesses_whenParsed_thenRefused() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("-instances", "2")).hasMessageContaining("-processes");
    }

    @Test
    void givenAOneJvmOptionWithProcesses_whenParsed_thenRefused() {
        assertThatThrownBy(() -> BenchmarkOptions.parse("-processes", "-tracing")).hasMessageContaining("-tracing");
        assertThatThrownBy(() -> BenchmarkOptions.parse("-processes", "-approval-linger-ms", "5"))
                .hasMessageContaining("-approval-linger-ms");
    }
}
