package io.samplingbroker.testsupport.fuzz;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The child JVM of {@link FuzzCampaign}: runs one {@code @FuzzTest} through the JUnit Platform, in fuzzing mode (the
 * parent sets {@code JAZZER_FUZZ=1}). Jazzer instruments every class of the project, not only those of this module's
 * directories, so a target in one module also gets coverage feedback from the modules it calls. Exits 0 when the run
 * ended without a finding, 1 otherwise.
 *
 * <p>Arguments: test class, method, module directory (where Jazzer writes corpus and findings), fuzzing duration (as
 * Jazzer reads it: {@code 90s}, {@code 2m}), per-input time limit ({@code 5 s}, {@code 5s}; whole seconds).
 */
public final class FuzzTargetRun {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)?");

    private FuzzTargetRun() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        Class<?> testClass = Class.forName(args[0]);
        Method target = Arrays.stream(testClass.getDeclaredMethods()).filter(m -> m.getName().equals(args[1]))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("No method " + args[1] + " in " + args[0]));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(testClass, target))
                .configurationParameter("jazzer.internal.basedir", args[2])
                .configurationParameter("jazzer.max_duration", args[3])
                .configurationParameter("jazzer.instrument", "io.samplingbroker.**")
                // libFuzzer's own limit, not JUnit's: JUnit's would also time the replay of the first seed, which
                // pays for Jazzer's set-up
                .configurationParameter("jazzer.internal.arg.0", "fuzz")
                .configurationParameter("jazzer.internal.arg.1", "-timeout=" + seconds(args[4]))
                .configurationParameter("jazzer.internal.arg.2", "-print_final_stats=1")
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary);
        TestExecutionSummary result = summary.getSummary();
        result.printFailuresTo(new java.io.PrintWriter(System.out, true), 40);
        System.out.println("[fuzz] tests found " + result.getTestsFoundCount() + ", succeeded "
                + result.getTestsSucceededCount() + ", failed " + result.getTotalFailureCount());
        System.exit(result.getTotalFailureCount() == 0 && result.getTestsSucceededCount() > 0 ? 0 : 1);
    }

    /** Seconds in a duration: {@code 30s}, {@code 5 s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static long seconds(String duration) {
        Matcher matcher = DURATION.matcher(duration.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("fuzz.duration must be a number of s, m or h, like 90s or 2m: "
                    + duration);
        }
        long count = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2) == null ? "s" : matcher.group(2)) {
            case "m" -> count * 60;
            case "h" -> count * 3600;
            default -> count;
        };
    }
}
