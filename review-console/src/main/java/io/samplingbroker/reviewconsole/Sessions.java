package io.samplingbroker.reviewconsole;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in reviewers, held by this console instance only: a session ends after {@code idle} without a request,
 * or {@code ttl} after sign-in, whichever comes first. Ids and CSRF tokens are 256 random bits.
 */
final class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in reviewer. {@code lastSeen} moves on every request. */
    static final class Session {
        private final String id;
        private final String reviewer;
        private final TenantScope tenants;
        private final String csrfToken;
        private final Instant createdAt;
        private volatile Instant lastSeen;

        Session(String id, String reviewer, TenantScope tenants, String csrfToken, Instant createdAt) {
            this.id = id;
            this.reviewer = reviewer;
            this.tenants = tenants;
            this.csrfToken = csrfToken;
            this.createdAt = createdAt;
            this.lastSeen = createdAt;
        }

        String id() {
            return id;
        }

        String reviewer() {
            return reviewer;
        }

        /** The tenants whose items this reviewer sees and decides. */
        TenantScope tenants() {
            return tenants;
        }

        String csrfToken() {
            return csrfToken;
        }

        /** Constant time, so that the token cannot be guessed a character at a time. */
        boolean csrfMatches(String candidate) {
            return candidate != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                    candidate.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Duration idle;
    private final Clock clock;

    Sessions(Duration ttl, Duration idle, Clock clock) {
        this.ttl = ttl;
        this.idle = idle;
        this.clock = clock;
    }

    Session create(String reviewer, TenantScope tenants) {
        Session session = new Session(randomToken(), reviewer, tenants, randomToken(), clock.instant());
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, touched; null when unknown or expired (an expired one is removed). */
    Session find(String id) {
        if (id == null) {
            return null;
        }
        Session session = sessions.get(id);
        if (session == null) {
            return null;
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(id);
            return null;
        }
        session.lastSeen = now;
        return session;
    }

    /** Whether the session still lives, without touching it (long-lived event streams check this). */
    boolean alive(Session session) {
        return sessions.containsKey(session.id()) && !expired(session, clock.instant());
    }

    void remove(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    void removeExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(session -> expired(session, now));
    }

    Duration ttl() {
        return ttl;
    }

    int size() {
        return sessions.size();
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.createdAt.plus(ttl)) || !now.isBefore(session.lastSeen.plus(idle));
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
