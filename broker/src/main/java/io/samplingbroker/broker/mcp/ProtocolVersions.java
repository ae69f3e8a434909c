package io.samplingbroker.broker.mcp;

import java.util.List;

/**
 * The MCP revisions the broker speaks, and which era each belongs to. The 2025 era has sessions and server→client
 * requests ({@code initialize}, {@code sampling/createMessage}); the 2026 era has neither: every request carries its
 * envelope in {@code _meta}, and a server asks for input with an {@code input_required} result.
 */
public final class ProtocolVersions {

    /** The released revision, and the only one of the sessionless era. */
    public static final String CURRENT = "2026-07-28";
    /** The newest revision of the session era: what the broker offers a legacy server. */
    public static final String LEGACY = "2025-11-25";
    /** Every revision the gateway accepts from hosts, newest first. */
    public static final List<String> SUPPORTED = List.of(CURRENT, LEGACY, "2025-06-18", "2025-03-26", "2024-11-05");

    private ProtocolVersions() {
    }

    public static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }

    /** Whether {@code version} belongs to the sessionless era (2026-07-28 and later). */
    public static boolean isSessionless(String version) {
        return version != null && version.compareTo(CURRENT) >= 0;
    }
}
