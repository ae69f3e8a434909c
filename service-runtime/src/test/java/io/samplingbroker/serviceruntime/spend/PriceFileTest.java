package io.samplingbroker.serviceruntime.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import io.samplingbroker.serviceruntime.ConfigFileException;

/** Prices per million tokens, exact costs in micro-units rounded up, and the errors a price file can have. */
class PriceFileTest {

    private static final PriceCatalogue PRICES = PriceFile.parse("prices.yaml", """
            currency: EUR
            models:
              gpt-4o: {input: 2.50, output: 10.00, cachedInput: 1.25}
              Claude-Sonnet-4-5: {input: 3, output: 15, cachedInput: 0.30}
              offline-echo: {input: 0, output: 0}
            """);

    @Test
    void givenCachedInput_whenPriced_thenCachedTokensTakeTheCachedRateAndTheRestTheInputRate() {
        ModelPrice gpt4o = PRICES.of("GPT-4O").orElseThrow();

        // 20 uncached × 2.50 + 80 cached × 1.25 + 10 out × 10.00, in micro-euros
        assertThat(gpt4o.costMicros(100, 80, 10)).isEqualTo(250);
        assertThat(gpt4o.costMicros(100, 500, 0)).as("cached never above the input").isEqualTo(125);
        assertThat(PRICES.of("offline-echo").orElseThrow().costMicros(1_000, 0, 1_000)).isZero();
    }

    @Test
    void givenAFractionOfAMicroUnit_whenPriced_thenItIsRoundedUp() {
        ModelPrice mini = new ModelPrice(new BigDecimal("0.15"), new BigDecimal("0.60"), null);

        assertThat(mini.costMicros(1, 0, 0)).isEqualTo(1);
        assertThat(mini.costMicros(10, 0, 1_000)).as("1.5 + 600").isEqualTo(602);
        assertThat(mini.cachedInput()).as("cachedInput defaults to input").isEqualByComparingTo("0.15");
    }

    @Test
    void givenTheCatalogue_whenAskedForTheHighest_thenEachPriceIsTheHighestOfAnyModel() {
        assertThat(PRICES.highest()).isEqualTo(new ModelPrice(new BigDecimal("3"), new BigDecimal("15"),
                new BigDecimal("1.25")));
        assertThat(PRICES.format(1_234_567)).isEqualTo("1.234567 EUR");
        assertThat(PRICES.format(20_000)).isEqualTo("0.02 EUR");
        assertThat(PRICES.format(5_000_000)).isEqualTo("5.00 EUR");
    }

    @Test
    void givenMistakes_whenParsed_thenEachNamesTheFileAndTheProblem() {
        assertThatThrownBy(() -> PriceFile.parse("p.yaml", "models: {m: {input: 1, ouptut: 2}}"))
                .isInstanceOf(ConfigFileException.class).hasMessageStartingWith("p.yaml: unknown key 'ouptut'");
        assertThatThrownBy(() -> PriceFile.parse("p.yaml", "models: {m: {input: 1}}"))
                .hasMessage("p.yaml: model 'm' needs an input and an output price");
        assertThatThrownBy(() -> PriceFile.parse("p.yaml", "models: {m: {input: -1, output: 2}}"))
                .hasMessage("p.yaml: model 'm': prices must not be negative");
        assertThatThrownBy(() -> PriceFile.parse("p.yaml", "currency: dollars\nmodels: {m: {input: 1, output: 2}}"))
                .hasMessage("p.yaml: currency must be a three-letter code such as USD, got dollars");
        assertThatThrownBy(() -> PriceFile.parse("p.yaml", "models: {m: {input: 1, output: 2}, M: {input: 1, output: 2}}"))
                .hasMessage("p.yaml: model 'M' is priced twice (names ignore case)");
        assertThatThrownBy(() -> PriceFile.parse("p.yaml", "currency: USD"))
                .hasMessage("p.yaml: 'models' must price at least one model");
    }

}
