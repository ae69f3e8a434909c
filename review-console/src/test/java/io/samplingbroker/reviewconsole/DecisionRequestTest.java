package io.samplingbroker.reviewconsole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.samplingbroker.events.ReviewCommand;
import io.samplingbroker.events.mcp.TextContent;
import io.samplingbroker.schemas.json.InvalidSamplingJsonException;
import io.samplingbroker.schemas.json.McpJson;
import io.samplingbroker.schemas.testing.PlainAvroSerde;

/** Reading decision bodies: what the approval-worker receives is what the reviewer sent. */
class DecisionRequestTest {

    private static final PlainAvroSerde<ReviewCommand> COMMANDS = new PlainAvroSerde<>(ReviewCommand.getClassSchema());

    @Test
    void givenAnEditWithAnUnpairedSurrogate_whenParsed_thenRefusedAtItsPointerRatherThanSentAsAQuestionMark() {
        // DecisionRequestFuzzTest's finding: an escaped lone surrogate reached the approval-worker as "?" (Avro writes
        // strings as UTF-8)
        assertThatThrownBy(() -> DecisionRequest.parse("""
                {"stage": "request", "action": "edit", "params": {"messages": [{"role": "user", "content":
                  {"type": "text", "text": "Hi \\ud800"}}], "maxTokens": 10}}
                """))
                .isInstanceOf(InvalidSamplingJsonException.class)
                .hasMessage("/params/messages/0/content/text: not Unicode text: an unpaired surrogate (\\ud800) at "
                        + "character 3")
                .extracting(e -> ((InvalidSamplingJsonException) e).pointer())
                .isEqualTo("/params/messages/0/content/text");
        assertThatThrownBy(() -> DecisionRequest.parse("""
                {"stage": "response", "action": "deny", "reason": "no \\udc00 thanks"}
                """))
                .hasMessage("/reason: not Unicode text: an unpaired surrogate at character 3");
    }

    @Test
    void givenAnEditWhoseOpenJsonHasAnUnpairedSurrogate_whenSentAsACommand_thenTheWorkerReadsItUnchanged() {
        // open members (here a block's _meta) travel as JSON text, written with surrogates escaped
        DecisionRequest edit = DecisionRequest.parse("""
                {"stage": "response", "action": "edit", "result": {"role": "assistant", "model": "m",
                  "content": {"type": "text", "text": "ok", "_meta": {"a/\\ud83d": "\\udc00"}}}}
                """);
        ReviewCommand command = edit.toCommand("req-1", "cmd-1", "alice", Instant.parse("2026-11-24T10:15:31Z"));

        ReviewCommand read = COMMANDS.deserializer().deserialize("t", COMMANDS.serializer().serialize("t", command));

        assertThat(read).isEqualTo(command);
        String meta = ((TextContent) read.getEditedResult().getContent().get(0)).getMeta();
        assertThat(McpJson.parse(meta).properties()).singleElement().satisfies(member -> {
            assertThat(member.getKey()).isEqualTo("a/" + (char) 0xd83d);
            assertThat(member.getValue().textValue()).isEqualTo(String.valueOf((char) 0xdc00));
        });
    }

    @Test
    void givenAnEditWithEscapedSurrogatePairs_whenSentAsACommand_thenTheWorkerReadsTheSameText() {
        DecisionRequest edit = DecisionRequest.parse("""
                {"stage": "request", "action": "edit", "reason": "\\ud83d\\ude42", "params": {"messages":
                  [{"role": "user", "content": {"type": "text", "text": "The key \\ud83d\\udd11"}}], "maxTokens": 10}}
                """);
        ReviewCommand command = edit.toCommand("req-1", "cmd-1", "alice", Instant.parse("2026-11-24T10:15:31Z"));

        ReviewCommand read = COMMANDS.deserializer().deserialize("t", COMMANDS.serializer().serialize("t", command));

        assertThat(read).isEqualTo(command);
        assertThat(((TextContent) read.getEditedParams().getMessages().get(0).getContent().get(0)).getText())
                .isEqualTo("The key 🔑");
        assertThat(read.getReason()).isEqualTo("🙂");
    }
}
