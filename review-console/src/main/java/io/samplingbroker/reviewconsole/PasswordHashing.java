package io.samplingbroker.reviewconsole;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reviewer passwords as PBKDF2-HMAC-SHA256 hashes, in the one text form the configuration holds:
 * {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}. JDK only, so there is no extra dependency to
 * audit. The iteration floor follows OWASP's 2023 advice for this algorithm; a stored hash below it is refused
 * rather than accepted silently weaker.
 */
public final class PasswordHashing {

    public static final String SCHEME = "pbkdf2-sha256";
    public static final int MIN_ITERATIONS = 210_000;
    public static final int DEFAULT_ITERATIONS = 210_000;
    static final int SALT_BYTES = 16;
    private static final int MIN_HASH_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Verified when the reviewer is unknown, so that a wrong name takes as long as a wrong password. */
    private static final StoredHash DECOY = parse(hash("decoy".toCharArray()));

    private PasswordHashing() {
    }

    /** A stored hash, checked: scheme, iteration floor, salt and hash sizes. */
    public record StoredHash(int iterations, byte[] salt, byte[] hash) {

        public StoredHash {
            salt = salt.clone();
            hash = hash.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof StoredHash that && iterations == that.iterations
                    && Arrays.equals(salt, that.salt) && Arrays.equals(hash, that.hash);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * iterations + Arrays.hashCode(salt)) + Arrays.hashCode(hash);
        }

        @Override
        public String toString() {
            return "StoredHash[" + SCHEME + ", iterations=" + iterations + ", hash redacted]";
        }
    }

    /** A new hash of {@code password} with a fresh random salt. */
    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] derived = derive(password, salt, DEFAULT_ITERATIONS, HASH_BITS);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + DEFAULT_ITERATIONS + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(derived);
    }

    /**
     * Reads a stored hash.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing the value)
     */
    public static StoredHash parse(String stored) {
        if (stored == null || stored.isBlank()) {
            throw new IllegalArgumentException("empty; expected " + SCHEME + "$<iterations>$<salt>$<hash>");
        }
        String[] parts = stored.trim().split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("not a " + SCHEME + "$<iterations>$<salt>$<hash> value; "
                    + "make one with io.samplingbroker.reviewconsole.ReviewerPasswordHash");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count is not a whole number", e);
        }
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException(iterations + " iterations is too weak; at least " + MIN_ITERATIONS);
        }
        byte[] salt = decode(parts[2], "salt");
        byte[] hash = decode(parts[3], "hash");
        if (salt.length < SALT_BYTES) {
            throw new IllegalArgumentException("the salt has " + salt.length + " bytes; at least " + SALT_BYTES);
        }
        if (hash.length < MIN_HASH_BYTES) {
            throw new IllegalArgumentException("the hash has " + hash.length + " bytes; at least " + MIN_HASH_BYTES);
        }
        return new StoredHash(iterations, salt, hash);
    }

    /** Whether {@code password} matches; compares in constant time. Slow by design: call it off the event loop. */
    public static boolean verify(char[] password, StoredHash stored) {
        byte[] expected = stored.hash;
        byte[] actual = derive(password, stored.salt, stored.iterations, expected.length * 8);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the time of one verification and answers false: for unknown reviewer names. */
    public static boolean verifyDecoy(char[] password) {
        verify(password, DECOY);
        return false;
    }

    private static byte[] decode(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not base64", e);
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
