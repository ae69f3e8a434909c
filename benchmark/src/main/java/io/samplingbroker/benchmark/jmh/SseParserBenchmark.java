package io.samplingbroker.benchmark.jmh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import io.samplingbroker.broker.upstream.SseParser;

/**
 * The broker's SSE parser on the upstream GET stream: {@code events} sampling requests of {@code promptBytes}
 * arriving in 8 KB network chunks (several events per read under load).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SseParserBenchmark {

    @Param({"1000", "20000"})
    public int promptBytes;

    @Param({"1", "16"})
    public int events;

    private byte[][] chunks;

    @Setup
    public void setUp() {
        String event = "event: message\ndata: " + SampleEvents.requestText(promptBytes) + "\n\n";
        byte[] all = event.repeat(events).getBytes(StandardCharsets.UTF_8);
        int size = 8192;
        chunks = new byte[(all.length + size - 1) / size][];
        for (int i = 0; i < chunks.length; i++) {
            int from = i * size;
            chunks[i] = java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + size));
        }
    }

    /** Time to parse all events of the batch (divide by {@code events} for one). */
    @Benchmark
    public void feed(Blackhole sink) {
        SseParser parser = new SseParser(sink::consume, () -> {
            throw new IllegalStateException("the benchmark's events are small");
        });
        for (byte[] chunk : chunks) {
            parser.feed(chunk);
        }
    }
}
