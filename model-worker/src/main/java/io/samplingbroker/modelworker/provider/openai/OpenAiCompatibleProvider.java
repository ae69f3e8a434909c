package io.samplingbroker.modelworker.provider.openai;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.LogLevel;
import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.ResponseCreateParams;

import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.catalogue.ProviderType;
import io.samplingbroker.modelworker.provider.ModelProvider;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderAnswers;
import io.samplingbroker.modelworker.provider.ProviderCall;
import io.samplingbroker.modelworker.provider.ProviderFailure;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Any endpoint speaking the OpenAI Chat Completions API (OpenAI, vLLM, Ollama, llama.cpp server, LM Studio), or, for a
 * provider of type {@code openai-responses}, OpenAI's Responses API, through the official OpenAI Java SDK on its
 * OkHttp transport.
 *
 * <ul>
 *   <li>The SDK's own retries are off ({@code maxRetries(0)}): the worker retries within each request's deadline.</li>
 *   <li>Its logging is off whatever {@code OPENAI_LOG} says: at debug it would log prompts and completions. Its
 *   telemetry headers (OS, architecture, Java version) are off too: a provider learns nothing about the host.</li>
 *   <li>Concurrency is bounded by the OkHttp dispatcher ({@code maxConcurrency} calls, the rest queue), replacing
 *   OkHttp's default of 5 per host.</li>
 *   <li>Without an API key (local servers) no Authorization header is sent at all.</li>
 * </ul>
 */
public final class OpenAiCompatibleProvider implements ModelProvider {

    private static final String NO_KEY = "no-key";

    private final ProviderSettings settings;
    private final Clock clock;
    private final CallTracker tracker = new CallTracker();
    private final OkHttpClient http;
    private final OpenAIClientAsync client;

    public OpenAiCompatibleProvider(ProviderSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(settings.maxConcurrency());
        dispatcher.setMaxRequestsPerHost(settings.maxConcurrency());
        OkHttpClient.Builder transport = new OkHttpClient.Builder().dispatcher(dispatcher).addInterceptor(tracker);
        if (settings.apiKey() == null) {
            transport.addInterceptor(chain -> chain.proceed(chain.request().newBuilder().removeHeader("Authorization").build()));
        }
        this.http = transport
                .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
        OpenAIOkHttpClientAsync.Builder builder = OpenAIOkHttpClientAsync.builder()
                .okHttpClient(http)
                .baseUrl(settings.baseUrl())
                .maxRetries(0)
                .logLevel(LogLevel.OFF)
                .disableTelemetry(true)
                .timeout(timeouts(settings.timeout()));
        // The SDK insists on a credential; for a keyless endpoint it gets a placeholder that never leaves the JVM.
        builder.apiKey(settings.apiKey() != null ? settings.apiKey() : NO_KEY);
        this.client = builder.build();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public CompletableFuture<ProviderAnswer> call(ProviderCall call) {
        String token = UUID.randomUUID().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CallTracker.TOKEN_HEADER, token);
        if (call.traceParent() != null) {
            headers.put("traceparent", call.traceParent()); // the provider's spans join ours
        }
        RequestOptions options = RequestOptions.builder().timeout(timeouts(call.timeout())).build();
        try {
            if (settings.type() == ProviderType.OPENAI_RESPONSES) {
                ResponseCreateParams.Builder request = ResponsesRequestMapper.toRequest(call.params(),
                        call.providerModel()).toBuilder();
                headers.forEach(request::putAdditionalHeader);
                return send(client.responses().create(request.build(), options), ResponsesResponseMapper::toAnswer,
                        token);
            }
            ChatCompletionCreateParams.Builder request = ChatRequestMapper.toRequest(call.params(),
                    call.providerModel()).toBuilder();
            headers.forEach(request::putAdditionalHeader);
            return send(client.chat().completions().create(request.build(), options), ChatResponseMapper::toAnswer,
                    token);
        } catch (ProviderFailure unsupported) {
            return CompletableFuture.failedFuture(unsupported);
        }
    }

    /**
     * The answer of a call on the wire: mapped, or failed with the provider's error classified; cancelling it cancels
     * the HTTP call (the SDK's own future would not).
     */
    private <T> CompletableFuture<ProviderAnswer> send(CompletableFuture<T> sent, Function<T, ProviderAnswer> mapper,
            String token) {
        CompletableFuture<ProviderAnswer> answer = new CompletableFuture<>();
        sent.whenComplete((body, error) -> tracker.forget(token));
        ProviderAnswers.settle(sent, answer, mapper, error -> OpenAiErrors.classify(error, settings.name(), clock));
        answer.whenComplete((ignored, error) -> {
            if (answer.isCancelled() && !sent.isDone()) {
                tracker.cancel(token);
                if (sent.isDone()) {
                    tracker.forget(token); // it ended meanwhile: nothing left to cancel
                }
            }
        });
        return answer;
    }

    /** The whole call, connection included, ends within {@code total}. */
    private Timeout timeouts(Duration total) {
        Duration connect = settings.connectTimeout().compareTo(total) < 0 ? settings.connectTimeout() : total;
        return Timeout.builder().connect(connect).read(total).write(total).request(total).build();
    }

    ProviderSettings settings() {
        return settings;
    }

    /** Calls on the wire right now (tests use it to see an aborted call really went away). */
    int liveCalls() {
        return tracker.liveCalls();
    }

    @Override
    public void close() {
        client.close();
        // The SDK leaves a caller-owned OkHttp client alone: release its threads and pooled connections here.
        http.dispatcher().cancelAll();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
