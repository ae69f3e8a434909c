package io.samplingbroker.broker.sampling;

/**
 * Who a host is for its events, rules and limits.
 *
 * @param id the host id: its credential's subject when hosts authenticate, else the name it gives itself (null until
 *     known: a host that sent no {@code X-Sampling-Host-Id} is named by its {@code initialize})
 * @param tenant its tenant, from its credential; null when hosts are not authenticated or the token names none
 * @param label the name an authenticated host gave itself, when it differs from {@code id}: shown, never trusted
 * @param authenticated whether {@code id} comes from a credential
 */
public record HostIdentity(String id, String tenant, String label, boolean authenticated) {

    /** A host known by its credential, with the name it gave itself ({@code null}: none yet) as its label. */
    public static HostIdentity authenticated(String subject, String tenant, String givenName) {
        return new HostIdentity(subject, tenant, labelOf(subject, givenName), true);
    }

    /** A host that is not authenticated: the name it gives itself (null: not yet known) is its id. */
    public static HostIdentity selfNamed(String name) {
        return new HostIdentity(name, null, null, false);
    }

    /**
     * With the {@code clientInfo.name} of its {@code initialize}: the id of a self-named host that had none yet, a
     * label for an authenticated one that had none.
     */
    public HostIdentity withClientName(String name) {
        if (name == null || name.isBlank()) {
            return this;
        }
        if (authenticated) {
            return label != null ? this : new HostIdentity(id, tenant, labelOf(id, name), true);
        }
        return id != null ? this : selfNamed(name);
    }

    /**
     * What the host's limits are counted under: its tenant and subject when authenticated (one subject in two tenants
     * is two hosts), else the name it gives itself.
     */
    public String key() {
        return authenticated ? ownerOf(tenant, id) : id;
    }

    /**
     * Who a session or a round handed to this host belongs to: its tenant and subject when authenticated; null when
     * it names itself, which proves nothing to bind to.
     */
    public String owner() {
        return authenticated ? ownerOf(tenant, id) : null;
    }

    /** The owner of what an authenticated principal of {@code tenant} (null: none) and {@code subject} opened. */
    public static String ownerOf(String tenant, String subject) {
        return (tenant == null ? "" : tenant) + '\u001f' + subject;
    }

    private static String labelOf(String subject, String givenName) {
        return givenName == null || givenName.isBlank() || givenName.equals(subject) ? null : givenName;
    }
}
