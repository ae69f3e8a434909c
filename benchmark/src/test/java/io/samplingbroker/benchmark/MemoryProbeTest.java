package io.samplingbroker.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryProbeTest {

    @Test
    void givenAProcStatusText_whenAFieldIsRead_thenItIsInBytes() {
        String status = "Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t42\n";

        assertThat(MemoryProbe.parseStatusField(status, "VmRSS")).hasValue(102400L * 1024);
        assertThat(MemoryProbe.parseStatusField(status, "VmHWM")).hasValue(204800L * 1024);
        assertThat(MemoryProbe.parseStatusField(status, "Threads")).hasValue(42L);
        assertThat(MemoryProbe.parseStatusField(status, "VmSwap")).isEmpty();
    }

    @Test
    void givenThisJvm_whenHeapIsRead_thenItIsPositive() {
        assertThat(MemoryProbe.heapPeak()).isPositive();
    }
}
