package io.samplingbroker.serviceruntime.spend;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.samplingbroker.serviceruntime.ConfigFileException;

/**
 * Reads a price catalogue from YAML:
 *
 * <pre>
 * currency: USD                 # default USD
 * models:                       # per million tokens; cachedInput defaults to input
 *   gpt-4o: {input: 2.50, output: 10.00, cachedInput: 1.25}
 *   offline-echo: {input: 0, output: 0}
 * </pre>
 *
 * Every error names the file and what is wrong, and stops start-up.
 */
public final class PriceFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    record Content(String currency, Map<String, PriceEntry> models) {
    }

    record PriceEntry(BigDecimal input, BigDecimal output, BigDecimal cachedInput) {
    }

    private PriceFile() {
    }

    public static PriceCatalogue load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file + ": no such price file");
        } catch (IOException e) {
            throw new ConfigFileException(file + ": cannot read the price file: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Parses price YAML; {@code origin} names the source in error messages. */
    public static PriceCatalogue parse(String origin, String yaml) {
        Content content;
        try {
            content = YAML.readValue(yaml, Content.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigFileException(origin + ": unknown key '" + e.getPropertyName() + "'; known keys: "
                    + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            throw new ConfigFileException(origin + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigFileException(origin + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (content == null || content.models() == null || content.models().isEmpty()) {
            throw new ConfigFileException(origin + ": 'models' must price at least one model");
        }
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        content.models().forEach((name, entry) -> {
            if (entry == null || entry.input() == null || entry.output() == null) {
                throw new ConfigFileException(origin + ": model '" + name + "' needs an input and an output price");
            }
            try {
                prices.put(name, new ModelPrice(entry.input(), entry.output(), entry.cachedInput()));
            } catch (IllegalArgumentException e) {
                throw new ConfigFileException(origin + ": model '" + name + "': " + e.getMessage());
            }
        });
        try {
            return new PriceCatalogue(content.currency() == null ? "USD" : content.currency(), prices);
        } catch (IllegalArgumentException e) {
            throw new ConfigFileException(origin + ": " + e.getMessage());
        }
    }
}
