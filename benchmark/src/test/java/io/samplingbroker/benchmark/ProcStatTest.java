package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void givenAStatLine_whenParsed_thenUserAndSystemTicksAreSummed() {
        String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 52960 0 3 0 1234 567 0 0 20 0 41 0 8123 4.1e9 70000";

        assertThat(ProcStat.parseCpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void givenACommandNameWithSpacesAndParentheses_whenParsed_thenFieldsAreCountedFromItsLastParenthesis() {
        String stat = "77 (my (odd) name) R 1 77 77 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 1 1 1";

        assertThat(ProcStat.parseCpuTicks(stat)).isEqualTo(15);
    }

    @Test
    void givenThisProcess_whenRead_thenItHasSpentSomeCpu() {
        assertThat(ProcStat.cpuTicks(ProcessHandle.current().pid()).orElseThrow()).isPositive();
    }

    @Test
    void givenAProcessThatDoesNotExist_whenRead_thenNothing() {
        assertThat(ProcStat.cpuTicks(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void givenGetconfOutput_whenParsed_thenTheTicksPerSecond() {
        assertThat(ProcStat.parseClockTicks("100\n")).isEqualTo(100);
        assertThatThrownBy(() -> ProcStat.parseClockTicks("0")).isInstanceOf(IllegalArgumentException.class);
    }
}
