package io.samplingbroker.serviceruntime.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a host API key, {@code sbk_<key id>_<secret>}: a 16-hex-digit id (public: listed, logged, the record's
 * key) and a secret of 32 random bytes in base64url (the only part that proves anything, shown once when issued).
 * What is stored is the SHA-256 of the secret: with 256 random bits there is nothing to guess, so a slow password
 * hash would only slow down every request. The {@code sbk_} prefix tells a key from a JWT on the same
 * {@code Authorization: Bearer} header, and lets secret scanners find a leaked one.
 */
public final class HostKeyText {

    public static final String PREFIX = "sbk_";
    private static final Pattern FORM = Pattern.compile("sbk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key just issued: its text (to give the host, once) and what is stored. */
    public record Issued(String keyId, String text, byte[] secretSha256) {
        @Override
        public String toString() {
            return "Issued[keyId=" + keyId + ", text=(redacted)]";
        }
    }

    /** The two parts of a key's text. */
    public record Parts(String keyId, String secret) {
        @Override
        public String toString() {
            return "Parts[keyId=" + keyId + ", secret=(redacted)]";
        }
    }

    private HostKeyText() {
    }

    /** A new key with fresh random id and secret. */
    public static Issued issue() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Issued(keyId, PREFIX + keyId + "_" + secretText, sha256(secretText));
    }

    /** Whether a bearer credential is meant as an API key (rather than a JWT), well formed or not. */
    public static boolean isKey(String credential) {
        return credential.startsWith(PREFIX);
    }

    /** The parts of a well-formed key, or empty. */
    public static Optional<Parts> parse(String credential) {
        Matcher matcher = FORM.matcher(credential);
        return matcher.matches() ? Optional.of(new Parts(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /** Whether {@code secret} is the one whose SHA-256 was stored; takes the same time whatever the answer. */
    public static boolean matches(String secret, byte[] storedSha256) {
        return MessageDigest.isEqual(sha256(secret), storedSha256);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
