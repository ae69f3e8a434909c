package io.samplingbroker.benchmark;

import java.util.SplittableRandom;

/**
 * A fixed pool of realistic {@code sampling/createMessage} params: one user text message, sizes drawn log-uniformly
 * between a few hundred bytes and 20 KB, {@code maxTokens} 100. Built once, so sending costs no allocation beyond
 * the id; the same sizes feed the Kafka floor.
 */
public final class Prompts {

    public static final int MIN_BYTES = 300;
    public static final int MAX_BYTES = 20_000;
    private static final String WORDS = "the broker relays every sampling request through kafka to approval and model "
            + "workers and streams the reply back to the exact session that asked for it ";

    private final String[] paramsJson;
    private final int[] textBytes;

    public Prompts(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        paramsJson = new String[count];
        textBytes = new int[count];
        double logMin = Math.log(MIN_BYTES);
        double logMax = Math.log(MAX_BYTES);
        for (int i = 0; i < count; i++) {
            int size = (int) Math.round(Math.exp(logMin + random.nextDouble() * (logMax - logMin)));
            String text = text(size, random.nextInt(WORDS.length()));
            textBytes[i] = size;
            paramsJson[i] = "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"" + text
                    + "\"}}],\"maxTokens\":100}";
        }
    }

    /** ASCII text of exactly {@code size} bytes, needing no JSON escaping. */
    static String text(int size, int offset) {
        StringBuilder text = new StringBuilder(size);
        while (text.length() < size) {
            int start = (offset + text.length()) % WORDS.length();
            text.append(WORDS, start, Math.min(WORDS.length(), start + size - text.length()));
        }
        return text.toString();
    }

    public int count() {
        return paramsJson.length;
    }

    /** The params of request {@code n} (cycling through the pool). */
    public String params(long n) {
        return paramsJson[(int) (n % paramsJson.length)];
    }

    public int textBytes(long n) {
        return textBytes[(int) (n % textBytes.length)];
    }

    /** The full JSON-RPC request with id {@code n}. */
    public String request(long n) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + n + ",\"method\":\"sampling/createMessage\",\"params\":" + params(n) + "}";
    }
}
