package io.samplingbroker.benchmark.jmh;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The reply-routing lookup as SamplingDispatcher does it: a ConcurrentHashMap of pending requests keyed by a UUID
 * request id, looked up when a result arrives; and the put/remove pair every request costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReplyRoutingBenchmark {

    @Param({"1000", "10000"})
    public int pending;

    private final Map<String, Object> byId = new ConcurrentHashMap<>();
    private String[] ids;

    @Setup
    public void setUp() {
        ids = new String[pending];
        for (int i = 0; i < pending; i++) {
            ids[i] = UUID.randomUUID().toString();
            byId.put(ids[i], new Object());
        }
    }

    @Benchmark
    public Object lookup() {
        return byId.get(ids[ThreadLocalRandom.current().nextInt(ids.length)]);
    }

    @Benchmark
    public Object putThenRemove() {
        String id = UUID.randomUUID().toString();
        byId.put(id, id);
        return byId.remove(id);
    }
}
