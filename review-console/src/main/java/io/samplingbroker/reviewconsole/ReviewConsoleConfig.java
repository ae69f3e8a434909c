package io.samplingbroker.reviewconsole;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

import io.samplingbroker.serviceruntime.ConfigSource;

/**
 * The review console's own settings (where it listens, who may sign in, how long sessions last), checked when built
 * so that a wrong one stops start-up with its key named. Reviewers' password hashes never appear in
 * {@link #toString()}. How it reaches Kafka is in {@link ReviewConsoleServiceConfig}.
 *
 * <p>Reviewers are one key each, {@code review.reviewers.<name>: <hash>}, so that a YAML mapping and an environment
 * variable ({@code SAMPLING_REVIEW_REVIEWERS_ALICE}) both reach them. Because the environment rule lower-cases
 * names and reads {@code _} as a dot, names are lower-case letters, digits, {@code -} and {@code .}.
 *
 * @param host the address to listen on ({@value #HOST})
 * @param port the port ({@value #PORT}); 0 takes any free port
 * @param reviewers reviewer name to PBKDF2 hash ({@value #REVIEWERS_PREFIX}{@code <name>})
 * @param reviewerTenants reviewer name to the tenants they see and decide for ({@value #TENANTS_PREFIX}{@code <name>}:
 *     tenant globs separated by commas, or {@code *}); a reviewer not named here sees every tenant
 * @param oidc sign-in through the identity provider ({@value OidcSignInConfig#PREFIX}{@code *}), or null
 * @param sessionTtl how long a sign-in lasts at most ({@value #SESSION_TTL_MS})
 * @param sessionIdle how long a session lasts without a request ({@value #SESSION_IDLE_MS})
 * @param decisionTimeout how long a decision waits for the approval-worker's verdict ({@value #DECISION_TIMEOUT_MS})
 */
public record ReviewConsoleConfig(String host, int port, Map<String, String> reviewers,
        Map<String, String> reviewerTenants, OidcSignInConfig oidc, Duration sessionTtl, Duration sessionIdle, Duration decisionTimeout) {

    public static final String HOST = "review.console.host";
    public static final String PORT = "review.console.port";
    public static final String SESSION_TTL_MS = "review.console.session.ttl.ms";
    public static final String SESSION_IDLE_MS = "review.console.session.idle.ms";
    public static final String DECISION_TIMEOUT_MS = "review.console.decision.timeout.ms";
    public static final String REVIEWERS_PREFIX = "review.reviewers.";
    public static final String TENANTS_PREFIX = "review.tenants.";

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_DECISION_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern REVIEWER_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    public ReviewConsoleConfig {
        if (host == null || host.isBlank()) {
            throw new ConfigException(HOST, host, "must name an address to listen on");
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigException(PORT, port, "must be between 0 (any free port) and 65535");
        }
        Objects.requireNonNull(reviewers, "reviewers");
        for (Map.Entry<String, String> reviewer : reviewers.entrySet()) {
            String key = REVIEWERS_PREFIX + reviewer.getKey();
            if (!REVIEWER_NAME.matcher(reviewer.getKey()).matches()) {
                throw new ConfigException(key + ": a reviewer name is 1 to 64 lower-case letters, digits, '-' or '.'");
            }
            try {
                PasswordHashing.parse(reviewer.getValue());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": not a usable password hash: " + e.getMessage());
            }
        }
        reviewers = Map.copyOf(reviewers);
        Objects.requireNonNull(reviewerTenants, "reviewerTenants");
        for (Map.Entry<String, String> scope : reviewerTenants.entrySet()) {
            String key = TENANTS_PREFIX + scope.getKey();
            if (!reviewers.containsKey(scope.getKey())) {
                throw new ConfigException(key + " names no reviewer (reviewers: " + new TreeMap<>(reviewers).keySet()
                        + ")");
            }
            try {
                TenantScope.parse(scope.getValue());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + " " + e.getMessage());
            }
        }
        reviewerTenants = Map.copyOf(reviewerTenants);
        if (reviewers.isEmpty() && oidc == null) {
            throw new ConfigException("The review console has no reviewer, so nobody could sign in: add "
                    + REVIEWERS_PREFIX + "<name>: <hash> (make a hash with ReviewerPasswordHash), or sign-in"
                    + " through the identity provider (" + OidcSignInConfig.PREFIX + "issuer, ...)");
        }
        positive(sessionTtl, SESSION_TTL_MS);
        positive(sessionIdle, SESSION_IDLE_MS);
        positive(decisionTimeout, DECISION_TIMEOUT_MS);
    }

    /** On any free port of the loopback address, with these reviewers and the default durations. */
    public static ReviewConsoleConfig of(Map<String, String> reviewers) {
        return new ReviewConsoleConfig(DEFAULT_HOST, 0, reviewers, Map.of(), null, DEFAULT_SESSION_TTL, DEFAULT_SESSION_IDLE,
                DEFAULT_DECISION_TIMEOUT);
    }

    /** From flat settings, as {@link ConfigSource} produces them. */
    public static ReviewConsoleConfig fromSettings(Map<String, String> settings) {
        long port = ConfigSource.wholeNumber(settings, PORT, DEFAULT_PORT);
        if (port < 0 || port > 65_535) {
            throw new ConfigException(PORT, settings.get(PORT), "must be between 0 (any free port) and 65535");
        }
        Map<String, String> reviewers = new TreeMap<>(ConfigSource.withPrefix(settings, REVIEWERS_PREFIX));
        Map<String, String> tenants = new TreeMap<>(ConfigSource.withPrefix(settings, TENANTS_PREFIX));
        return new ReviewConsoleConfig(settings.getOrDefault(HOST, DEFAULT_HOST),
                (int) port, reviewers, tenants, OidcSignInConfig.fromSettings(settings), millis(settings, SESSION_TTL_MS, DEFAULT_SESSION_TTL),
                millis(settings, SESSION_IDLE_MS, DEFAULT_SESSION_IDLE),
                millis(settings, DECISION_TIMEOUT_MS, DEFAULT_DECISION_TIMEOUT));
    }

    public ReviewConsoleConfig withPort(int newPort) {
        return new ReviewConsoleConfig(host, newPort, reviewers, reviewerTenants, oidc, sessionTtl, sessionIdle,
                decisionTimeout);
    }

    public ReviewConsoleConfig withDecisionTimeout(Duration timeout) {
        return new ReviewConsoleConfig(host, port, reviewers, reviewerTenants, oidc, sessionTtl, sessionIdle,
                timeout);
    }

    /** The same reviewers, each seeing only the tenants given ({@code reviewer -> "acme, globex"}). */
    public ReviewConsoleConfig withReviewerTenants(Map<String, String> tenants) {
        return new ReviewConsoleConfig(host, port, reviewers, tenants, oidc, sessionTtl, sessionIdle, decisionTimeout);
    }

    /** The same, with sign-in through the identity provider as well. */
    public ReviewConsoleConfig withOidc(OidcSignInConfig signIn) {
        return new ReviewConsoleConfig(host, port, reviewers, reviewerTenants, signIn, sessionTtl, sessionIdle,
                decisionTimeout);
    }

    /** The tenants a reviewer sees: every one unless {@value #TENANTS_PREFIX}{@code <name>} says otherwise. */
    TenantScope tenantsOf(String reviewer) {
        String scope = reviewerTenants.get(reviewer);
        return scope == null ? TenantScope.ALL : TenantScope.parse(scope);
    }

    /** The parsed hash of a reviewer, or null when there is no such reviewer. */
    PasswordHashing.StoredHash passwordOf(String reviewer) {
        String stored = reviewers.get(reviewer);
        return stored == null ? null : PasswordHashing.parse(stored);
    }

    private static Duration millis(Map<String, String> settings, String key, Duration defaultValue) {
        return Duration.ofMillis(ConfigSource.wholeNumber(settings, key, defaultValue.toMillis()));
    }

    private static void positive(Duration value, String key) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(key, value.toMillis(), "must be positive");
        }
    }

    @Override
    public String toString() {
        return "ReviewConsoleConfig[" + HOST + "=" + host + ", " + PORT + "=" + port
                + ", reviewers=" + new TreeMap<>(reviewers).keySet() + " (hashes redacted), tenants="
                + new TreeMap<>(reviewerTenants) + ", oidc=" + oidc + ", " + SESSION_TTL_MS + "="
                + sessionTtl.toMillis() + ", " + SESSION_IDLE_MS + "=" + sessionIdle.toMillis() + ", "
                + DECISION_TIMEOUT_MS + "=" + decisionTimeout.toMillis() + "]";
    }
}
