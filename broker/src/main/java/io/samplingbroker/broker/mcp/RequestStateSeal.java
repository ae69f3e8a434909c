package io.samplingbroker.broker.mcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The {@code requestState} the broker gives a 2026-07-28 host in place of the server's: a {@link HeldRound} encrypted
 * and authenticated with AES-GCM (the JDK's), under a key every broker instance shares, so the retry may reach any
 * instance, and a host that alters it, or replays it after it expired, is refused. The sampling answers inside are
 * prompts' completions: encrypted, the host cannot read them, as it could not in the session era.
 */
public final class RequestStateSeal {

    /** Marks a state as the broker's (versioned, so the format can change). */
    static final String PREFIX = "sampling-broker.1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param secret at least 32 bytes, the same on every instance */
    public RequestStateSeal(byte[] secret) {
        this.key = new SecretKeySpec(derive(secret), "AES");
    }

    /** Whether {@code requestState} is one the broker sealed (it may still fail to open). */
    public static boolean isSealed(String requestState) {
        return requestState != null && requestState.startsWith(PREFIX);
    }

    public String seal(HeldRound held) {
        JsonObject payload = new JsonObject().put("a", held.answers()).put("r", held.round())
                .put("m", held.callMethod()).put("x", held.expires().toEpochMilli());
        if (held.serverState() != null) {
            payload.put("s", held.serverState());
        }
        if (held.callName() != null) {
            payload.put("n", held.callName());
        }
        if (held.owner() != null) {
            payload.put("o", held.owner());
        }
        if (!held.forwarded().isEmpty()) {
            payload.put("f", held.forwarded());
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(payload.encode().getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens a state this broker (or another instance with the same key) sealed.
     *
     * @param owner the principal retrying ({@code HostIdentity.owner()}), null when hosts are not authenticated
     * @throws InvalidRequestStateException when it was altered, is not the broker's format, has expired at
     *     {@code now}, was given for another call than {@code callMethod} {@code callName}, or to another host
     */
    public HeldRound open(String requestState, Instant now, String callMethod, String callName, String owner) {
        if (!isSealed(requestState)) {
            throw new InvalidRequestStateException("it is not one the broker gave");
        }
        JsonObject payload;
        try {
            byte[] in = Base64.getUrlDecoder().decode(requestState.substring(PREFIX.length()));
            // shorter than a nonce and a tag: the JDK's GCM would fail with a ProviderException, not a bad tag
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new InvalidRequestStateException("it was altered");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            payload = new JsonObject(new String(plain, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException | DecodeException e) {
            throw new InvalidRequestStateException("it was altered");
        }
        HeldRound held = new HeldRound(payload.getString("s"), payload.getJsonObject("a"),
                payload.getJsonObject("f", new JsonObject()), payload.getInteger("r"), payload.getString("m"),
                payload.getString("n"), Instant.ofEpochMilli(payload.getLong("x")), payload.getString("o"));
        if (now.isAfter(held.expires())) {
            throw new InvalidRequestStateException("it expired at " + held.expires()
                    + ": call again without it");
        }
        if (!held.callMethod().equals(callMethod) || !Objects.equals(held.callName(), callName)) {
            throw new InvalidRequestStateException("it belongs to another call (" + held.callMethod()
                    + " " + held.callName() + ")");
        }
        if (!Objects.equals(held.owner(), owner)) {
            throw new InvalidRequestStateException("it was given to another host");
        }
        return held;
    }

    /** A key for this one use, so the configured secret is never the cipher key itself. */
    private static byte[] derive(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal("sampling-broker requestState v1".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A requestState the broker cannot accept. */
    public static final class InvalidRequestStateException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InvalidRequestStateException(String message) {
            super(message);
        }
    }
}
