package io.samplingbroker.schemas;

import java.util.List;

import io.samplingbroker.events.ProviderAttempt;
import io.samplingbroker.events.SamplingCompleted;

/** Which model answered a completion, as prices name models: the catalogue's name, not the provider's model id. */
public final class AnsweringModel {

    /** The {@code provider} of a completion a host answered (a forwarded request): its model cost the broker nothing. */
    public static final String HOST_PROVIDER = "host";

    private AnsweringModel() {
    }

    /**
     * The catalogue model of the last attempt when it answered (a fallback, maybe); else, for completions written
     * before attempts were recorded and for a host's answers, the model the result names.
     */
    public static String of(SamplingCompleted completed) {
        List<ProviderAttempt> attempts = completed.getProviderAttempts();
        ProviderAttempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        return last != null && last.getErrorCode() == null ? last.getModel()
                : completed.getCreateMessageResult().getModel();
    }
}
