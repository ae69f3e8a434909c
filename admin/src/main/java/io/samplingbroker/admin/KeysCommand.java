package io.samplingbroker.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import io.samplingbroker.events.HostKey;
import io.samplingbroker.serviceruntime.cli.KafkaConnectionOptions;
import io.samplingbroker.serviceruntime.keys.HostKeyText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code keys create|list|revoke}: API keys for machine hosts. A key is shown once, when created; what the host-keys
 * topic keeps is its id, host, tenant, scopes and the SHA-256 of its secret ({@link HostKeyText}). Every broker
 * instance reads the topic, so a revocation stops the key everywhere within a second or two.
 */
@Command(name = "keys", description = "Issues, lists and revokes the API keys machine hosts authenticate with.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

    /** Host ids and tenants: what a token's {@code sub} and tenant claim would hold, printable and bounded. */
    private static final Pattern NAME = Pattern.compile("[\\p{Alnum}._:@/+-]{1,200}");
    /** RFC 6749 scope-token. */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

    @ParentCommand
    AdminMain main;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "Say which: keys create, keys list or keys revoke");
    }

    /** The options every keys command takes. */
    static final class Connection {
        @Mixin
        KafkaConnectionOptions kafka;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
                description = "How long to wait for Kafka before giving up (default 15).")
        long timeoutSeconds;

        HostKeyStore open(AdminMain main) {
            if (timeoutSeconds < 1 || timeoutSeconds > 600) {
                throw new IllegalArgumentException("--timeout must be 1..600 seconds, got " + timeoutSeconds);
            }
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            return HostKeyStore.open(kafka.kafkaSettings(main.environment, timeout.toMillis(), "admin"), timeout);
        }
    }

    @Command(name = "create", description = "Issues a key: prints it once on stdout, the rest on stderr.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Mixin
        Connection connection;

        @Option(names = "--host", required = true, paramLabel = "ID",
                description = "The host identity the key authenticates as (on every event, rule, limit and audit line).")
        String host;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "The host's tenant.")
        String tenant;

        @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "sampling:use",
                description = "A scope the key carries; repeat for more (default sampling:use).")
        List<String> scopes = new ArrayList<>();

        @Option(names = "--description", paramLabel = "TEXT", description = "What the key is for.")
        String description;

        @Override
        public Integer call() {
            check(NAME, host, "--host");
            if (tenant != null) {
                check(NAME, tenant, "--tenant");
            }
            scopes.forEach(scope -> check(SCOPE, scope, "--scope"));
            if (description != null && description.length() > 500) {
                throw new IllegalArgumentException("--description is at most 500 characters");
            }
            AdminMain main = keys.main;
            HostKeyText.Issued issued = HostKeyText.issue();
            HostKey key = HostKey.newBuilder().setKeyId(issued.keyId()).setHostId(host).setTenant(tenant)
                    .setScopes(List.copyOf(scopes)).setSecretSha256(java.nio.ByteBuffer.wrap(issued.secretSha256()))
                    .setDescription(description).setCreatedAt(main.clock.instant().truncatedTo(ChronoUnit.MILLIS))
                    .setRevokedAt(null).build();
            try (HostKeyStore store = connection.open(main)) {
                store.write(key);
            }
            main.err.println("Key " + issued.keyId() + " issued for host " + host
                    + (tenant == null ? "" : " of tenant " + tenant) + ", scopes " + String.join(" ", scopes) + ".");
            main.err.println("It is shown this once: give it to the host now, as Authorization: Bearer <key>.");
            main.out.println(issued.text());
            return 0;
        }
    }

    @Command(name = "list", description = "Lists the keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Mixin
        Connection connection;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's keys.")
        String tenant;

        @Option(names = "--all", description = "Revoked keys too.")
        boolean all;

        @Override
        public Integer call() {
            AdminMain main = keys.main;
            List<HostKey> listed;
            try (HostKeyStore store = connection.open(main)) {
                listed = store.readAll().values().stream()
                        .filter(key -> tenant == null || tenant.equals(key.getTenant()))
                        .filter(key -> all || key.getRevokedAt() == null)
                        .sorted(Comparator.comparing(HostKey::getCreatedAt)).toList();
            }
            main.out.printf("%-16s  %-24s  %-16s  %-20s  %-20s  %s%n", "KEY ID", "HOST", "TENANT", "SCOPES", "CREATED",
                    "STATE");
            for (HostKey key : listed) {
                main.out.printf("%-16s  %-24s  %-16s  %-20s  %-20s  %s%n", key.getKeyId(), key.getHostId(),
                        key.getTenant() == null ? "-" : key.getTenant(), String.join(" ", key.getScopes()),
                        seconds(key.getCreatedAt()),
                        key.getRevokedAt() == null ? "active" : "revoked " + seconds(key.getRevokedAt()));
            }
            main.err.println(listed.size() + (listed.size() == 1 ? " key" : " keys"));
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revokes a key: every broker instance refuses it from then on.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Mixin
        Connection connection;

        @Parameters(paramLabel = "KEY_ID", description = "The key's id (as listed; the part after sbk_).")
        String keyId;

        @Override
        public Integer call() {
            AdminMain main = keys.main;
            String id = keyId.startsWith(HostKeyText.PREFIX) ? HostKeyText.parse(keyId).map(HostKeyText.Parts::keyId)
                    .orElse(keyId) : keyId;
            try (HostKeyStore store = connection.open(main)) {
                HostKey key = store.readAll().get(id);
                if (key == null) {
                    main.err.println("sampling-admin: no key " + id + " (keys list shows the ids)");
                    return 1;
                }
                if (key.getRevokedAt() != null) {
                    main.err.println("Key " + id + " was already revoked at " + seconds(key.getRevokedAt()));
                    return 0;
                }
                store.write(HostKey.newBuilder(key)
                        .setRevokedAt(main.clock.instant().truncatedTo(ChronoUnit.MILLIS)).build());
            }
            main.err.println("Key " + id + " revoked: brokers refuse it within seconds.");
            return 0;
        }
    }

    private static void check(Pattern pattern, String value, String option) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(option + " '" + value + "' is not allowed: "
                    + (pattern == SCOPE ? "a scope is printable ASCII without spaces, quotes or backslashes"
                            : "letters, digits and . _ : @ / + - only, at most 200"));
        }
    }

    private static String seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
