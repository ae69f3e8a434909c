package io.samplingbroker.serviceruntime.metrics;

import java.util.Set;

import io.micrometer.core.instrument.Tags;
import io.samplingbroker.events.SamplingContext;

/**
 * The label names every service uses for who a sampling request is for (docs/operations.md has the table of
 * metrics). Values of these labels come from hosts, policies and catalogues, so they are capped
 * ({@link BoundedLabels}) when recorded through {@link ServiceMetrics}.
 */
public final class SamplingLabels {

    public static final String HOST = "host";
    public static final String TENANT = "tenant";
    public static final String SERVER = "server";
    public static final String MODEL = "model";
    public static final String RULE = "rule";
    public static final String PROVIDER = "provider";
    /** A JSON-RPC error code: a host that samples itself answers with codes of its own choosing. */
    public static final String CODE = "code";
    /** The value of a label that has none: a host without a tenant, a request that named no model. */
    public static final String NONE = "none";

    static final Set<String> OPEN = Set.of(HOST, TENANT, SERVER, MODEL, RULE, PROVIDER, CODE);

    private SamplingLabels() {
    }

    /** Host, tenant and server of the request. */
    public static Tags of(SamplingContext context) {
        return Tags.of(HOST, orNone(context.getHostId()), TENANT, orNone(context.getTenant()), SERVER,
                orNone(context.getServerName()));
    }

    public static String orNone(CharSequence value) {
        return value == null || value.isEmpty() ? NONE : value.toString();
    }
}
