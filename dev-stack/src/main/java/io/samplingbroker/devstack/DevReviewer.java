package io.samplingbroker.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import io.samplingbroker.reviewconsole.PasswordHashing;
import io.samplingbroker.reviewconsole.ReviewConsoleConfig;

/**
 * The dev stack's one reviewer, {@value #NAME}: its password comes from the environment or is generated on first
 * start and kept (readable by the owner only) in the data directory, so the console sign-in survives restarts.
 *
 * @param password what the newcomer types
 * @param passwordFile where a generated password is kept, or null when it came from the environment
 */
record DevReviewer(String password, Path passwordFile) {

    static final String NAME = "dev";
    private static final String FILE = "reviewer-password";

    static DevReviewer of(DevStackConfig config) throws IOException {
        if (config.reviewerPassword() != null) {
            return new DevReviewer(config.reviewerPassword(), null);
        }
        Path file = config.dataDir().resolve(FILE);
        if (Files.exists(file)) {
            return new DevReviewer(Files.readString(file, StandardCharsets.UTF_8).strip(), file);
        }
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(config.dataDir());
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file keeps the directory's permissions
        }
        return new DevReviewer(password, file);
    }

    /** The console on the loopback address, with this reviewer (the password stored hashed, as in production). */
    ReviewConsoleConfig consoleConfig(int port) {
        return ReviewConsoleConfig.of(Map.of(NAME, PasswordHashing.hash(password.toCharArray()))).withPort(port);
    }

    @Override
    public String toString() {
        return "DevReviewer[" + NAME + ", password redacted]";
    }
}
