package io.samplingbroker.embeddedinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * What makes the embedded Kafka a secured one, as production should be: clients connect over TLS with SASL
 * (SCRAM-SHA-512) as their own user, and Kafka's standard authorizer lets each do only what an ACL allows.
 *
 * <p>At first use it generates, with the JDK's {@code keytool}, a self-signed certificate for {@code 127.0.0.1} and
 * {@code localhost} (the broker's key, and a truststore holding the certificate for clients), and random passwords:
 * the stores', the super user {@code admin}'s and each user's, kept in {@code credentials.properties} (owner-only)
 * beside them, so that a dev stack keeps its users across restarts. The KRaft controller listener uses TLS with
 * client certificates instead of SCRAM (SCRAM users live in the metadata the controller serves): the node itself is
 * its only client, authenticated by its own key as the super user {@value #NODE_USER}. {@code admin} is bootstrapped
 * when storage is formatted ({@code --add-scram}); other users are added by {@link #addUsers}, as {@code admin}.
 */
public final class KafkaSecurity {

    public static final String ADMIN_USER = "admin";
    static final String NODE_USER = "sampling-kafka-node";
    private static final String STORE_PASSWORD = "store.password";
    private static final String USER_PREFIX = "user.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Properties credentials;

    private KafkaSecurity(Path dir, Properties credentials) {
        this.dir = dir;
        this.credentials = credentials;
    }

    /** The stores and passwords in {@code dir}, generated on first use. */
    public static KafkaSecurity in(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("credentials.properties");
            Properties credentials = new Properties();
            if (Files.exists(file) && Files.exists(dir.resolve("kafka-node.p12"))) {
                try (InputStream in = Files.newInputStream(file)) {
                    credentials.load(in);
                }
                return new KafkaSecurity(dir, credentials);
            }
            credentials.setProperty(STORE_PASSWORD, randomPassword());
            credentials.setProperty(USER_PREFIX + ADMIN_USER, randomPassword());
            KafkaSecurity security = new KafkaSecurity(dir, credentials);
            security.generateStores();
            security.save();
            return security;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka's certificates in " + dir, e);
        }
    }

    /** The broker settings of a SASL_SSL client listener and a TLS controller listener, with the authorizer. */
    Map<String, String> brokerSettings(int brokerPort, int controllerPort) {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SASL_SSL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
        props.put("inter.broker.listener.name", "SASL_SSL");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas(ADMIN_USER));
        props.put("listener.name.controller.ssl.client.auth", "required");
        props.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]*).*$/$1/,DEFAULT");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + ADMIN_USER + ";User:" + NODE_USER);
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", dir.resolve("kafka-node.p12").toString());
        props.put("ssl.keystore.password", storePassword());
        props.put("ssl.key.password", storePassword());
        props.putAll(trustStore());
        return props;
    }

    /** The format tool's {@code --add-scram} argument that creates {@code admin}. */
    List<String> formatArguments() {
        return List.of("--add-scram", "SCRAM-SHA-512=[name=" + ADMIN_USER + ",password=" + passwordOf(ADMIN_USER)
                + "]");
    }

    /** Client settings (security only: add {@code bootstrap.servers}) of {@code user}, which must exist. */
    public Map<String, String> clientSettings(String user) {
        Map<String, String> settings = new HashMap<>(trustStore());
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.jaas.config", jaas(user));
        return settings;
    }

    /**
     * Creates (or keeps) SCRAM users, each with a password of its own, through {@code admin} (a client of the super
     * user {@code admin}); blocks at most 30 s.
     */
    public synchronized void addUsers(Admin admin, Collection<String> users) {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        boolean added = false;
        for (String user : users) {
            if (credentials.getProperty(USER_PREFIX + user) == null) {
                credentials.setProperty(USER_PREFIX + user, randomPassword());
                added = true;
            }
            upserts.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512,
                    8192), passwordOf(user)));
        }
        try {
            if (added) {
                save();
            }
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep Kafka's credentials in " + dir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create the Kafka users " + users + ": " + e.getMessage(), e);
        }
    }

    private String passwordOf(String user) {
        String password = credentials.getProperty(USER_PREFIX + user);
        if (password == null) {
            throw new IllegalArgumentException("No Kafka user " + user + ": add it first (addUsers)");
        }
        return password;
    }

    private String jaas(String user) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + passwordOf(user) + "\";";
    }

    private Map<String, String> trustStore() {
        return Map.of("ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", dir.resolve("truststore.p12").toString(),
                "ssl.truststore.password", storePassword());
    }

    private String storePassword() {
        return credentials.getProperty(STORE_PASSWORD);
    }

    private void generateStores() throws IOException {
        Path keystore = dir.resolve("kafka-node.p12");
        Path certificate = dir.resolve("kafka-node.pem");
        Path truststore = dir.resolve("truststore.p12");
        Files.deleteIfExists(keystore);
        Files.deleteIfExists(truststore);
        keytool("-genkeypair", "-alias", "kafka-node", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg",
                "SHA256withECDSA", "-dname", "CN=" + NODE_USER, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "3650", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", storePassword(), "-keypass", storePassword());
        keytool("-exportcert", "-rfc", "-alias", "kafka-node", "-keystore", keystore.toString(),
                "-storepass", storePassword(), "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "kafka-node", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", storePassword());
    }

    /** Runs the JDK's keytool; the store password is passed as an argument to a child of this JVM only. */
    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running keytool", e);
        }
    }

    private void save() throws IOException {
        Path file = dir.resolve("credentials.properties");
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            credentials.store(out, "Kafka users and store passwords of the embedded stack: keep private");
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
