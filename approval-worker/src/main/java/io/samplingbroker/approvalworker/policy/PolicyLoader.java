package io.samplingbroker.approvalworker.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads a policy file (YAML) strictly: bad syntax, an unknown or duplicated field, a wrong type or an invalid value
 * all stop start-up with {@link PolicyFileException} naming the file, the line and the field. A policy that is
 * half-understood is worse than none, because it would decide requests on rules nobody wrote.
 */
public final class PolicyLoader {

    /** Prefix of a policy bundled on the classpath, for example {@code classpath:sample-policy.yaml}. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    /**
     * The longest policy read, in characters: a policy is rules, not data (the sample is 2,700). SnakeYAML checks its
     * own limit (3 Mi code points) only once a value is read, and reads one long value in time that grows with its
     * square (25 M characters: minutes), so the length is checked before parsing.
     */
    static final int MAX_CHARS = 1 << 20;
    /** How deep values may nest: a policy needs 5 (rules, a rule, when, textMatches, a pattern). */
    static final int MAX_NESTING = 32;
    /** The most digits a number may have: a long has 19, an amount of money fewer. */
    static final int MAX_NUMBER_DIGITS = 100;

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                    .maxNumberLength(MAX_NUMBER_DIGITS).maxStringLength(MAX_CHARS).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PolicyLoader() {
    }

    /** Loads a policy from a file path, or from the classpath with {@value #CLASSPATH_PREFIX}. */
    public static Policy load(String location) {
        return parse(read(location), location);
    }

    public static Policy load(Path file) {
        return load(file.toString());
    }

    /** Parses policy text; {@code source} names it in errors. */
    public static Policy parse(String text, String source) {
        if (text.length() > MAX_CHARS) {
            throw new PolicyFileException(source, "the policy is larger than " + MAX_CHARS + " characters ("
                    + text.length() + "); a policy is rules, not data");
        }
        SourceLocations locations;
        try {
            locations = SourceLocations.scan(YAML, text);
        } catch (JsonProcessingException e) {
            throw located(source, e.getLocation(), "not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new PolicyFileException(source, "cannot read: " + e.getMessage());
        }
        if (locations.firstAlias() != null) {
            // Jackson reads an alias as the anchor's name, not as the value it stands for ('action: *deny' would be
            // the action "deny" whatever &deny anchors), so a policy with one would decide by rules nobody wrote
            SourceLocations.Alias alias = locations.firstAlias();
            throw located(source, alias.location(), "'*" + alias.anchor() + "' is a YAML alias; write the value out"
                    + " (a policy file does not read aliases)");
        }
        PolicyDocument document;
        try {
            document = text.isBlank() ? null : MAPPER.readValue(text, PolicyDocument.class);
        } catch (UnrecognizedPropertyException e) {
            throw bindingFailure(source, locations, e, "unknown field '" + e.getPropertyName() + "'; known fields: "
                    + known(e.getKnownPropertyIds()));
        } catch (InvalidFormatException e) {
            throw bindingFailure(source, locations, e, "expected " + describe(e.getTargetType()) + ", got "
                    + shown(e.getValue()));
        } catch (MismatchedInputException e) {
            throw bindingFailure(source, locations, e, "expected " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw bindingFailure(source, locations, e, e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw located(source, e.getLocation(), "not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        return new PolicyCompiler(source, locations).compile(document);
    }

    private static String read(String location) {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String resource = location.substring(CLASSPATH_PREFIX.length());
            try (InputStream in = PolicyLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new PolicyFileException(location, "no such resource on the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new PolicyFileException(location, "cannot read: " + e.getMessage());
            }
        }
        try {
            return Files.readString(Path.of(location));
        } catch (NoSuchFileException e) {
            throw new PolicyFileException(location, "no such policy file");
        } catch (IOException e) {
            throw new PolicyFileException(location, "cannot read: " + e.getMessage());
        }
    }

    /** Locates a binding error by the path of the value at fault, which is more exact than the parser's position. */
    private static PolicyFileException bindingFailure(String source, SourceLocations locations, JsonMappingException e,
            String message) {
        List<JsonMappingException.Reference> path = e.getPath();
        StringBuilder pointer = new StringBuilder();
        StringBuilder readable = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                pointer.append('/').append(reference.getFieldName());
                readable.append(readable.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                pointer.append('/').append(reference.getIndex());
                readable.append('[').append(reference.getIndex()).append(']');
            }
        }
        JsonLocation location = path.isEmpty() ? null : locations.find(pointer.toString());
        return located(source, location != null ? location : e.getLocation(),
                (readable.length() == 0 ? "" : readable + ": ") + message);
    }

    private static PolicyFileException located(String source, JsonLocation location, String message) {
        return location == null ? new PolicyFileException(source, message)
                : new PolicyFileException(source, location.getLineNr(), location.getColumnNr(), message);
    }

    /** The value at fault as the file has it; a {@code !!binary} one is bytes, which print as an object id. */
    private static String shown(Object value) {
        return value instanceof byte[] bytes ? "!!binary data (" + bytes.length + " bytes)" : "'" + value + "'";
    }

    /** SnakeYAML appends the line again with a caret drawing; the location is in our prefix already. */
    private static String firstLine(String message) {
        int end = message == null ? -1 : message.indexOf('\n');
        return end < 0 ? String.valueOf(message) : message.substring(0, end).strip();
    }

    private static String known(Collection<Object> ids) {
        return String.join(", ", new TreeSet<>(ids.stream().map(String::valueOf).toList()));
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == PolicyDocument.class) {
            return "a mapping with defaultAction and rules";
        }
        return "a mapping of fields (name: value)";
    }
}
