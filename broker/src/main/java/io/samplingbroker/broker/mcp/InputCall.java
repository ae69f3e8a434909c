package io.samplingbroker.broker.mcp;

/**
 * Which call an input request belongs to.
 *
 * @param callMethod the host's call the server answered with {@code input_required}
 * @param callName its tool or prompt name or resource URI, if any
 * @param inputKey the key of the request in {@code inputRequests}
 * @param round the round it came in (1 = the first)
 */
public record InputCall(String callMethod, String callName, String inputKey, int round) {
}
