package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/**
 * A 2025-era host whose request stream breaks resumes it (MCP 2025-11-25): the stream starts with a priming event,
 * and a GET with {@code Last-Event-ID} gets the answer that came while the host was away. Raw HTTP, because the test
 * must break the connection at a chosen moment.
 */
@ExtendWith(KafkaStackExtension.class)
class StreamResumptionIT {

    private static final Pattern EVENT_ID = Pattern.compile("^id: (\\d+)$");

    @Test
    void givenAHostWhoseStreamBreaksBeforeTheAnswer_whenItResumesWithLastEventId_thenItGetsTheAnswer(KafkaStack stack)
            throws Exception {
        KafkaSettings kafka = GatewayIT.kafka(stack, "resume");
        try (WorkerStandIn slow = new WorkerStandIn(kafka, WorkerStandIn.after(Duration.ofSeconds(2),
                        WorkerStandIn::echo));
                Broker broker = Broker.start(GatewayIT.config(kafka, "broker-r1", GatewayIT.stdioEverything(),
                        Duration.ofSeconds(30)))) {
            URI url = URI.create(broker.mcpUrl("everything"));
            String session = initialize(url);
            post(url, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").close();

            // When: the tool call's stream breaks right after its priming event
            String primingId;
            try (Socket call = post(url, session, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":"
                    + "{\"name\":\"trigger-sampling-request\",\"arguments\":{\"prompt\":\"while away\",\"maxTokens\":9}}}")) {
                primingId = firstEventId(new BufferedReader(new InputStreamReader(call.getInputStream(),
                        StandardCharsets.UTF_8)));
            }
            sleep(Duration.ofSeconds(5)); // the sampling and the tool's answer happen meanwhile

            // Then
            try (Socket resumed = open(url)) {
                write(resumed, "GET " + url.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                        + "Mcp-Session-Id: " + session + "\r\nLast-Event-ID: " + primingId + "\r\n\r\n");
                String replay = readUntil(new BufferedReader(new InputStreamReader(resumed.getInputStream(),
                        StandardCharsets.UTF_8)), "\"id\":7");
                assertThat(replay).contains("HTTP/1.1 200").contains("stand-in answer").contains("while away");
            }
        }
    }

    private static String initialize(URI url) throws Exception {
        try (Socket socket = post(url, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}")) {
            String head = readUntil(new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)), "\"id\":1");
            Matcher session = Pattern.compile("(?i)mcp-session-id: (\\S+)").matcher(head);
            assertThat(session.find()).as(head).isTrue();
            return session.group(1);
        }
    }

    private static Socket post(URI url, String session, String body) throws Exception {
        Socket socket = open(url);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        write(socket, "POST " + url.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\n" + (session == null ? "" : "Mcp-Session-Id: "
                + session + "\r\n") + "Content-Length: " + bytes.length + "\r\n\r\n" + body);
        return socket;
    }

    private static Socket open(URI url) throws Exception {
        Socket socket = new Socket(url.getHost(), url.getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static void write(Socket socket, String text) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String firstEventId(BufferedReader in) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            Matcher id = EVENT_ID.matcher(line);
            if (id.matches()) {
                return id.group(1);
            }
        }
        throw new AssertionError("the stream ended without an event id");
    }

    private static String readUntil(BufferedReader in, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains(marker)) {
                return seen.toString();
            }
        }
        return seen.toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
