package io.samplingbroker.modelworker.catalogue;

import java.util.Arrays;
import java.util.Locale;

/** How a provider is reached. */
public enum ProviderType {

    /** Any endpoint speaking the OpenAI Chat Completions API: OpenAI, vLLM, Ollama, llama.cpp server, LM Studio. */
    OPENAI_COMPATIBLE("openai-compatible"),
    /** OpenAI's Responses API ({@code POST /responses}), only where a catalogue entry asks for it. */
    OPENAI_RESPONSES("openai-responses"),
    /** Anthropic's Messages API ({@code https://api.anthropic.com}, or a {@code baseUrl} speaking it). */
    ANTHROPIC("anthropic"),
    /** The built-in deterministic offline model: no network, answers at once, not an LLM. */
    OFFLINE("offline");

    private final String configName;

    ProviderType(String configName) {
        this.configName = configName;
    }

    /** The name used in catalogue files. */
    public String configName() {
        return configName;
    }

    /** Parses a catalogue file's {@code type}; null when the name is unknown. */
    public static ProviderType fromConfigName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.configName.equals(wanted)).findFirst().orElse(null);
    }
}
