package io.samplingbroker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AuditMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AuditMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
    }

    @Test
    void givenAnUnknownOption_whenRun_thenUsageIsPrintedAndTheExitStatusIs2() {
        // When
        int status = run("summary", "--no-such-option");
        // Then
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--no-such-option'")
                .contains("Usage: sampling-audit summary");
    }

    @Test
    void givenABadTime_whenRun_thenTheErrorNamesTheOptionAndTheExitStatusIs2() {
        int status = run("--from", "last tuesday");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--from").contains("'last tuesday' is not a time");
    }

    @Test
    void givenNoCommand_whenRun_thenTimelineIsTheDefault() {
        assertThat(AuditMain.withDefaultCommand(new String[] {"--host", "x"})).containsExactly("timeline", "--host", "x");
        assertThat(AuditMain.withDefaultCommand(new String[] {"verify"})).containsExactly("verify");
        assertThat(AuditMain.withDefaultCommand(new String[] {"--help"})).containsExactly("--help");
    }

    @Test
    void givenHelp_whenRun_thenTheCommandsAndExitStatusesAreListed() {
        int status = run("--help");

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("timeline").contains("summary").contains("verify")
                .contains("verify found problems");
    }

    @Test
    void givenAnUnreachableRegistry_whenRun_thenOneClearLineAndExitStatus2() {
        // Given nothing listens on port 1
        int status = run("summary", "--bootstrap-servers", "127.0.0.1:1", "--registry-url", "http://127.0.0.1:1",
                "--timeout", "1s");
        // Then
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("sampling-audit: Cannot reach the schema registry")
                .doesNotContain("\tat ");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
