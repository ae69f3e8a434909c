package io.samplingbroker.modelworker.provider.anthropic;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.client.okhttp.AnthropicOkHttpClientAsync;
import com.anthropic.core.RequestOptions;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;

import io.samplingbroker.modelworker.catalogue.ProviderSettings;
import io.samplingbroker.modelworker.provider.ModelProvider;
import io.samplingbroker.modelworker.provider.ProviderAnswer;
import io.samplingbroker.modelworker.provider.ProviderAnswers;
import io.samplingbroker.modelworker.provider.ProviderCall;
import io.samplingbroker.modelworker.provider.ProviderFailure;

/**
 * Anthropic's Messages API through the official Anthropic Java SDK, on the same terms as the OpenAI path: the SDK's
 * own retries off ({@code maxRetries(0)}: the worker retries within each request's deadline, one policy for every
 * provider), the API key from the catalogue (never from the SDK's environment variables or profile files), the
 * SDK's own OpenTelemetry instrumentation off (the worker's client span is the call's, its {@code traceparent} sent
 * with the request).
 *
 * <p>Two things the SDK does not let a caller turn off, unlike OpenAI's: its {@code X-Stainless-*} headers (OS,
 * architecture, Java and SDK versions) go with every call, and a keyless endpoint (a local stand-in) gets the
 * placeholder credential {@code Bearer no-key}: the SDK adds both beneath any interceptor.
 *
 * <p>Cancelling an attempt completes its future at once, so the worker moves on, but the SDK does not abort the
 * HTTP exchange behind it: that ends by the attempt's timeout (a call abandoned by a stopping worker holds a
 * connection at most that long).
 */
public final class AnthropicProvider implements ModelProvider {

    static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    private static final String NO_KEY = "no-key";

    private final ProviderSettings settings;
    private final Clock clock;
    private final AnthropicClientAsync client;

    public AnthropicProvider(ProviderSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        AnthropicOkHttpClientAsync.Builder builder = AnthropicOkHttpClientAsync.builder()
                .baseUrl(settings.baseUrl() == null ? DEFAULT_BASE_URL : settings.baseUrl())
                .maxRetries(0)
                .timeout(settings.timeout())
                // the SDK insists on a credential; a keyless endpoint (a local server) gets a placeholder
                .apiKey(settings.apiKey() != null ? settings.apiKey() : NO_KEY);
        builder.openTelemetry(false);
        this.client = builder.build();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public CompletableFuture<ProviderAnswer> call(ProviderCall call) {
        MessageCreateParams request;
        try {
            request = MessagesRequestMapper.toRequest(call.params(), call.providerModel());
        } catch (ProviderFailure unsupported) {
            return CompletableFuture.failedFuture(unsupported);
        }
        if (call.traceParent() != null) {
            request = request.toBuilder().putAdditionalHeader("traceparent", call.traceParent()).build();
        }
        CompletableFuture<ProviderAnswer> answer = new CompletableFuture<>();
        CompletableFuture<Message> sent = client.messages().create(request,
                RequestOptions.builder().timeout(call.timeout()).build());
        ProviderAnswers.settle(sent, answer, MessagesResponseMapper::toAnswer,
                error -> AnthropicErrors.classify(error, settings.name(), clock));
        return answer;
    }

    ProviderSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        client.close();
    }
}
