package io.samplingbroker.schemas.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client of the Confluent Schema Registry REST API (v7), as served by Confluent Schema Registry, Apicurio
 * ({@code /apis/ccompat/v7}), Karapace and Redpanda. Caches what never changes (ids and their schemas) for good,
 * and a subject's latest version for {@link RegistrySerdeConfig#latestCacheTtl()}.
 *
 * <p>Unreachable registries (connection errors, timeouts, HTTP 5xx and 429) are retried with exponential backoff,
 * trying each configured URL in turn, for at most {@link RegistrySerdeConfig#retryMax()}; then a
 * {@link SchemaRegistryUnavailableException} says which registry and what failed. Thread-safe.
 */
public final class SchemaRegistryClient {

    /** A schema as registered under a subject. */
    public record RegisteredSchema(String subject, int version, int id, Schema schema) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JDK client's own timeout fires first when it works; this only bounds the case where it does not. */
    private static final long EXCHANGE_SLACK_MS = 1_000;

    private final RegistrySerdeConfig config;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<String, CachedLatest> latestBySubject = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record CachedLatest(RegisteredSchema schema, long fetchedAtNanos) {
    }

    public SchemaRegistryClient(RegistrySerdeConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
    }

    public RegistrySerdeConfig config() {
        return config;
    }

    /** Registers {@code schema} under {@code subject} (a no-op returning the same id if it is already there). */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode response;
        try {
            response = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                    "registering a schema under subject '" + subject + "'");
        } catch (SchemaRegistryException e) {
            if (e.status() != 409) {
                throw e;
            }
            // Two writers registering the same new subject at once: some registries (Apicurio) answer the loser
            // with 409. If the schema is now there, that is success; if not, the 409 meant incompatible.
            try {
                return lookup(subject, schema);
            } catch (SchemaRegistryException notThere) {
                throw e;
            }
        }
        int id = response.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("The registry answered a registration under '" + subject
                    + "' without an id: " + response, 200, 0);
        }
        LOG.debug("Schema {} registered under subject {} with id {}", schema.getFullName(), subject, id);
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** Finds the id of {@code schema} under {@code subject} without registering it. */
    public int lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode response = send("POST", "/subjects/" + encode(subject), schemaBody(schema),
                "looking up a schema under subject '" + subject + "' (auto.register.schemas=false)");
        int id = response.path("id").asInt(-1);
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The writer schema of a record, by the id in its wire-format header. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode response = send("GET", "/schemas/ids/" + id, null, "fetching schema id " + id);
        Schema schema = parse(response.path("schema").asText(), "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** The latest version registered under {@code subject}. */
    public RegisteredSchema latest(String subject) {
        CachedLatest cached = latestBySubject.get(subject);
        long ttl = config.latestCacheTtl().toNanos();
        if (cached != null && (ttl <= 0 || System.nanoTime() - cached.fetchedAtNanos() < ttl)) {
            return cached.schema();
        }
        JsonNode response = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null,
                "fetching the latest schema of subject '" + subject + "'");
        RegisteredSchema latest = new RegisteredSchema(subject, response.path("version").asInt(),
                response.path("id").asInt(), parse(response.path("schema").asText(), "subject " + subject));
        schemasById.putIfAbsent(latest.id(), latest.schema());
        idsBySubjectSchema.putIfAbsent(new SubjectSchema(subject, latest.schema()), latest.id());
        latestBySubject.put(subject, new CachedLatest(latest, System.nanoTime()));
        return latest;
    }

    /**
     * One attempt to reach the registry (a health check: no retries): null when one of its URLs answers, else what
     * went wrong at each.
     */
    public String probe() {
        StringBuilder problems = new StringBuilder();
        for (URI base : config.urls()) {
            try {
                HttpResponse<String> response = http.send(request("GET", base, "/subjects", null),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 200 && response.statusCode() < 300) {
                    return null;
                }
                problems.append(problems.isEmpty() ? "" : "; ").append(base).append(": HTTP ")
                        .append(response.statusCode());
            } catch (IOException e) {
                problems.append(problems.isEmpty() ? "" : "; ").append(base).append(": ").append(describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while probing " + base;
            }
        }
        return "schema registry unreachable: " + problems;
    }

    /** Whether the registry would accept {@code schema} as the next version of {@code subject}. */
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode response = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema), "checking compatibility under subject '" + subject + "'");
            return response.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return true; // nothing registered yet: any schema is compatible
            }
            throw e;
        }
    }

    /** Sets the subject's compatibility level (BACKWARD, FULL, ...). */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send("PUT", "/config/" + encode(subject), body.toString(), "setting compatibility of subject '" + subject + "'");
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("The registry returned an unparseable Avro schema for " + what + ": "
                    + e.getMessage(), 200, 0);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body, String what) {
        long deadline = System.nanoTime() + config.retryMax().toNanos();
        Duration backoff = config.retryBackoff();
        int attempt = 0;
        Exception lastFailure;
        String lastUrl;
        while (true) {
            URI base = config.urls().get(attempt % config.urls().size());
            lastUrl = base.toString();
            attempt++;
            try {
                HttpResponse<String> response = exchange(request(method, base, path, body));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return JSON.readTree(response.body());
                }
                if (status >= 500 || status == 429) {
                    lastFailure = new IOException("HTTP " + status + " " + abbreviate(response.body()));
                } else {
                    throw clientError(status, response.body(), what, base);
                }
            } catch (IOException e) {
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("Interrupted while " + what + " at " + base, e);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            LOG.debug("Schema registry attempt {} failed while {} at {}: {}", attempt, what, base, lastFailure.toString());
            sleep(Math.min(backoff.toNanos(), remaining));
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        throw new SchemaRegistryUnavailableException("Schema registry unreachable while " + what + ": " + attempt
                + " attempt(s) over " + config.retryMax().toMillis() + " ms to " + config.urls() + " failed; last at "
                + lastUrl + ": " + describe(lastFailure), lastFailure);
    }

    /**
     * One exchange, bounded by the request timeout whatever happens on the wire: the JDK client's own timeout was
     * seen not to fire (a test waited on a registry exchange for minutes, its thread parked in {@code send}), so the
     * wait is on the future, and an exchange past it is cancelled and counted as a failed attempt.
     */
    private HttpResponse<String> exchange(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofString());
        try {
            return response.get(config.requestTimeout().toMillis() + EXCHANGE_SLACK_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new HttpTimeoutException("no answer within " + config.requestTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        }
    }

    private HttpRequest request(String method, URI base, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(config.requestTimeout())
                .header("Accept", CONTENT_TYPE + ", application/json");
        config.basicAuthUserInfo().ifPresent(info -> builder.header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8))));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return builder.build();
    }

    private static SchemaRegistryException clientError(int status, String body, String what, URI base) {
        int errorCode = status;
        String message = abbreviate(body);
        try {
            JsonNode error = JSON.readTree(body);
            errorCode = error.path("error_code").asInt(status);
            message = error.path("message").asText(message);
        } catch (IOException notJson) {
            // keep the raw body
        }
        return new SchemaRegistryException("Schema registry " + base + " refused " + what + ": HTTP " + status
                + " (error " + errorCode + "): " + message, status, errorCode);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName() + Optional.ofNullable(e.getCause()).map(c -> " (" + c + ")").orElse("");
        }
        return e.getClass().getSimpleName() + ": " + message;
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("Interrupted while waiting to retry the schema registry", e);
        }
    }
}
