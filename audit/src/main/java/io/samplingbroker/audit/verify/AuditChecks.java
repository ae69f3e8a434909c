package io.samplingbroker.audit.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The checks {@code verify} runs. */
public final class AuditChecks {

    private AuditChecks() {
    }

    /** The built-in checks, in report order; a fresh instance of each (the chain check keeps state per replay). */
    public static List<AuditCheck> standard() {
        return List.of(new LogStartCheck(), new TerminalEventCheck(), new KnownRequestCheck(), new StageOrderCheck(),
                new ChainCheck());
    }

    /** The built-in checks, then any found on the class path through {@link ServiceLoader}. */
    public static List<AuditCheck> all() {
        List<AuditCheck> checks = new ArrayList<>(standard());
        ServiceLoader.load(AuditCheck.class).forEach(checks::add);
        return checks;
    }
}
