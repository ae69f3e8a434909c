package io.samplingbroker.benchmark;

/** The one-JVM mode's CPU: every thread of this JVM, summed per component by thread name ({@link CpuProbe}). */
final class ThreadCpuMeter implements CpuMeter {

    private final CpuProbe probe = new CpuProbe();

    @Override
    public Mark mark() {
        CpuProbe.Snapshot before = probe.snapshot();
        return (label, requests) -> probe.snapshot().since(before).perRequest(label, requests);
    }

    @Override
    public String title() {
        return "CPU per request sent (ms of thread CPU time; this JVM, Apicurio not included)\n\nEvent loops are the"
                + " broker's and the load generator's together; in the no-broker steps, the load generator's and the"
                + " direct hosts' alone. The whole JVM's figure holds every thread, the GC's and the JIT compiler's"
                + " included, which no column shows.";
    }

    @Override
    public String header() {
        return CpuProbe.header();
    }
}
