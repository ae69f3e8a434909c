package io.samplingbroker.modelworker.provider.openai;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Lets a provider call be aborted on the wire. The SDK's futures do not cancel the HTTP call behind them (its retry
 * layer sits in between), so each request carries a private token header; this OkHttp interceptor strips it before
 * anything is sent, remembers the live {@link Call} under it, and {@link #cancel} cancels that call, closing its
 * connection. A token cancelled before its call started stops the call as soon as it does.
 */
final class CallTracker implements Interceptor {

    /** Never reaches the provider: removed by {@link #intercept}. */
    static final String TOKEN_HEADER = "X-Sampling-Broker-Call";

    private final ConcurrentMap<String, Call> live = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String token = request.header(TOKEN_HEADER);
        if (token == null) {
            return chain.proceed(request);
        }
        live.put(token, chain.call());
        try {
            if (cancelled.contains(token)) {
                chain.call().cancel();
            }
            return chain.proceed(request.newBuilder().removeHeader(TOKEN_HEADER).build());
        } finally {
            live.remove(token);
        }
    }

    void cancel(String token) {
        cancelled.add(token);
        Call call = live.get(token);
        if (call != null) {
            call.cancel();
        }
    }

    /** The call behind {@code token} is over: forget it. */
    void forget(String token) {
        cancelled.remove(token);
        live.remove(token);
    }

    int liveCalls() {
        return live.size();
    }
}
