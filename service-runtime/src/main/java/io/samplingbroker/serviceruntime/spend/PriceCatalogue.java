package io.samplingbroker.serviceruntime.spend;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Model prices, by the catalogue model names the model-worker uses (matched ignoring case), in one currency. Cost
 * budgets, the review console and {@code sampling-audit summary} price usage with it ({@link PriceFile}).
 *
 * @param currency what the amounts are in, for example {@code USD}; a label, never converted
 * @param models prices by model name
 */
public record PriceCatalogue(String currency, Map<String, ModelPrice> models) {

    private static final PriceCatalogue NONE = new PriceCatalogue("USD", Map.of());

    public PriceCatalogue {
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency must be a three-letter code such as USD, got " + currency);
        }
        TreeMap<String, ModelPrice> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        models.forEach((name, price) -> {
            if (byName.put(name, price) != null) {
                throw new IllegalArgumentException("model '" + name + "' is priced twice (names ignore case)");
            }
        });
        models = Collections.unmodifiableMap(byName);
    }

    /** No prices: usage has no cost, and a policy with a cost budget refuses to start. */
    public static PriceCatalogue none() {
        return NONE;
    }

    public boolean isEmpty() {
        return models.isEmpty();
    }

    public Optional<ModelPrice> of(String model) {
        return model == null ? Optional.empty() : Optional.ofNullable(models.get(model));
    }

    /** The highest input, output and cached price of any model: what a request reserves before its model is known. */
    public ModelPrice highest() {
        ModelPrice highest = new ModelPrice(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
        for (ModelPrice price : models.values()) {
            highest = highest.atLeast(price);
        }
        return highest;
    }

    /** Micro-units as money: {@code 1234567} is {@code 1.234567 USD}, trailing zeros cut to two decimals. */
    public String format(long micros) {
        return amount(micros) + " " + currency;
    }

    /** Micro-units as a plain amount: {@code 20000} is {@code 0.02}. */
    public String amount(long micros) {
        BigDecimal amount = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return (amount.scale() < 2 ? amount.setScale(2) : amount).toPlainString();
    }
}
