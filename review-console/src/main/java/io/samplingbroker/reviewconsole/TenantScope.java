package io.samplingbroker.reviewconsole;

import java.util.Arrays;
import java.util.List;

import io.samplingbroker.events.SamplingContext;
import io.samplingbroker.serviceruntime.Glob;

/**
 * The tenants a reviewer may see and decide for ({@code review.tenants.<reviewer>}): every tenant ({@code *}, the
 * default, for a deployment of one tenant or none), or a list of globs. A request without a tenant (hosts not
 * authenticated) belongs to no tenant, so only a reviewer of every tenant sees it.
 */
record TenantScope(boolean all, List<Glob> tenants) {

    static final TenantScope ALL = new TenantScope(true, List.of());

    TenantScope {
        tenants = List.copyOf(tenants);
    }

    /** {@code *}, or tenant globs separated by commas ({@code acme, globex-*}). */
    static TenantScope parse(String text) {
        List<String> names = Arrays.stream(text.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names no tenant: write tenant names or globs separated by commas, or *");
        }
        if (names.contains("*")) {
            return ALL;
        }
        return new TenantScope(false, names.stream().map(Glob::new).toList());
    }

    boolean sees(String tenant) {
        return all || tenant != null && tenants.stream().anyMatch(glob -> glob.matches(tenant));
    }

    boolean sees(SamplingContext context) {
        return sees(context.getTenant());
    }

    @Override
    public String toString() {
        return all ? "*" : String.join(", ", tenants.stream().map(Glob::toString).toList());
    }
}
