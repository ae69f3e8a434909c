package io.samplingbroker.approvalworker.policy;

/**
 * How an {@code amend} action changes a request. Null or false parts leave the request as it is.
 *
 * @param capMaxTokens lower {@code maxTokens} to this when the request asks for more
 * @param forceModel the model to use whatever the server prefers
 * @param dropIncludeContext set {@code includeContext} to {@code none}, so no host context reaches the model
 */
public record Amendment(Long capMaxTokens, String forceModel, boolean dropIncludeContext) {
}
