package io.samplingbroker.modelworker.provider.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.samplingbroker.events.mcp.ContentShape;
import io.samplingbroker.events.mcp.CreateMessageParams;
import io.samplingbroker.events.mcp.CreateMessageResult;
import io.samplingbroker.events.mcp.Role;
import io.samplingbroker.events.mcp.SamplingMessage;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.events.mcp.Tool;
import io.samplingbroker.events.mcp.ToolChoiceMode;
import io.samplingbroker.events.mcp.ToolUseContent;
import io.samplingbroker.modelworker.catalogue.ModelCatalogue;
import io.samplingbroker.modelworker.provider.ModelProvider;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderCall;

/**
 * The built-in offline model {@value ModelCatalogue#OFFLINE_MODEL}: no network, no weights, answers at once, always
 * the same way for the same input. It exists so the embedded stack works out of the box and benchmarks measure the
 * broker, not a model; its name and its answers say plainly that no LLM answered.
 *
 * <ul>
 *   <li>Text: {@code [offline-echo] received N message(s); last user text: <first 200 characters>}, stop reason
 *   {@code endTurn}.</li>
 *   <li>When tools are offered and {@code toolChoice.mode} is {@code required}: one {@code tool_use} of the first tool
 *   with input {@code {}}, stop reason {@code toolUse}.</li>
 *   <li>Usage counts whitespace-separated words, not tokens. An answer longer than {@code maxTokens} words is cut to
 *   that many, stop reason {@code maxTokens}.</li>
 * </ul>
 */
public final class OfflineEchoModel implements ModelProvider {

    static final int QUOTED_CHARACTERS = 200;
    private static final String TOOL_USE_ID_PREFIX = "offline-echo-call-";

    private final String name;

    public OfflineEchoModel(String providerName) {
        this.name = providerName;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<ProviderAnswer> call(ProviderCall call) {
        return CompletableFuture.completedFuture(answer(call.params()));
    }

    /** The deterministic answer to {@code params}. */
    public static ProviderAnswer answer(CreateMessageParams params) {
        long inputWords = words(params.getSystemPrompt());
        for (SamplingMessage message : params.getMessages()) {
            inputWords += words(textOf(message));
        }
        List<Tool> tools = params.getTools();
        boolean toolRequired = params.getToolChoice() != null
                && params.getToolChoice().getMode() == ToolChoiceMode.required;
        if (tools != null && !tools.isEmpty() && toolRequired) {
            ToolUseContent toolUse = ToolUseContent.newBuilder()
                    .setId(TOOL_USE_ID_PREFIX + "1")
                    .setName(tools.get(0).getName())
                    .setInput("{}")
                    .build();
            return new ProviderAnswer(result(toolUse, "toolUse"), inputWords, 0L);
        }
        String text = "[" + ModelCatalogue.OFFLINE_MODEL + "] received " + params.getMessages().size()
                + " message(s); last user text: " + quote(lastUserText(params.getMessages()));
        String stopReason = "endTurn";
        String[] answerWords = text.split("\\s+");
        if (params.getMaxTokens() < answerWords.length) {
            int kept = (int) Math.max(0, params.getMaxTokens());
            text = String.join(" ", Arrays.copyOf(answerWords, kept));
            stopReason = "maxTokens";
            answerWords = Arrays.copyOf(answerWords, kept);
        }
        TextContent content = TextContent.newBuilder().setText(text).build();
        return new ProviderAnswer(result(content, stopReason), inputWords, (long) answerWords.length);
    }

    private static CreateMessageResult result(Object content, String stopReason) {
        return CreateMessageResult.newBuilder()
                .setRole(Role.assistant)
                .setContent(List.of(content))
                .setContentShape(ContentShape.SINGLE)
                .setModel(ModelCatalogue.OFFLINE_MODEL)
                .setStopReason(stopReason)
                .build();
    }

    private static String lastUserText(List<SamplingMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).getRole() == Role.user) {
                return textOf(messages.get(i));
            }
        }
        return "";
    }

    private static String textOf(SamplingMessage message) {
        List<String> texts = new ArrayList<>();
        for (Object block : message.getContent()) {
            if (block instanceof TextContent text) {
                texts.add(text.getText());
            }
        }
        return String.join(" ", texts);
    }

    /** The first 200 characters, never splitting a surrogate pair. */
    private static String quote(String text) {
        if (text.codePointCount(0, text.length()) <= QUOTED_CHARACTERS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, QUOTED_CHARACTERS));
    }

    /** Counts whitespace-separated words in one pass, without a regex or an array: prompts run to 20 KB. */
    private static long words(String text) {
        if (text == null) {
            return 0;
        }
        long count = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                count++;
            }
            inWord = !space;
        }
        return count;
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
