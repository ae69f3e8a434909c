package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProcessCpuMeterTest {

    @Test
    void givenEachKindsCpu_whenARowIsMade_thenTheTotalComesFirstThenEachKindInTheHeadersOrder() {
        Map<String, Long> nanos = Map.of(ProcessStack.BROKER, 4_000_000L, ProcessStack.KAFKA, 2_000_000L,
                ProcessCpuMeter.LOAD, 1_000_000L);

        String row = ProcessCpuMeter.row("broker 1000", 2, nanos);

        assertThat(row).isEqualTo("| broker 1000 | 2 | 3.500 | 2.000 | 0.000 | 0.000 | 1.000 | 0.000 | 0.500 |\n");
        assertThat(new ProcessCpuMeter(List::of).header()).startsWith("| step | sent | all processes | broker |"
                + " approval-worker | model-worker | Kafka | Apicurio | load generator (this JVM) |");
    }

    @Test
    void givenNoRequests_whenARowIsMade_thenNotApplicable() {
        assertThat(ProcessCpuMeter.row("idle", 0, Map.of())).contains("| n/a |");
    }

    @Test
    void givenThisJvmAsAChild_whenAStepIsMeasured_thenItsCpuIsCounted() {
        long pid = ProcessHandle.current().pid();
        ProcessCpuMeter meter = new ProcessCpuMeter(() -> List.of(new BenchServices.Child(ProcessStack.BROKER,
                "broker-1", pid)));
        CpuMeter.Mark mark = meter.mark();
        long until = System.nanoTime() + 300_000_000L;
        double spin = 0;
        while (System.nanoTime() < until) {
            spin += Math.sqrt(spin + 1);
        }

        String row = mark.row("spin", 1);

        assertThat(spin).isPositive();
        String[] cells = row.split("\\|");
        assertThat(Double.parseDouble(cells[4].trim())).as("broker column of %s", row).isPositive();
    }
}
