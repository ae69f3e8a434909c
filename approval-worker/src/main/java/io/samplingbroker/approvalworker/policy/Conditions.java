package io.samplingbroker.approvalworker.policy;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.serviceruntime.Glob;

/**
 * The {@code when} block of a rule. Every condition given must hold (and); a list matches when any of its entries
 * does (or). An absent condition always holds, so a rule without {@code when} matches every request.
 *
 * @param tenants globs on the host's tenant (from its credential); a request without a tenant matches none
 * @param hosts globs on the host id
 * @param servers globs on the server name
 * @param modelHints globs on the server's model hint names (any hint)
 * @param maxTokensAbove holds when maxTokens is strictly greater
 * @param maxTokensAtMost holds when maxTokens is less or equal
 * @param promptCharsAbove holds when the system prompt and message texts together are longer (in characters)
 * @param hasTools holds when the presence of {@code tools} is as given
 * @param hasImages holds when the presence of image content is as given
 * @param includeContext holds when includeContext (absent counts as {@code none}) is one of these
 * @param textMatches regular expressions found anywhere in the system prompt or a message text
 */
public record Conditions(List<Glob> tenants, List<Glob> hosts, List<Glob> servers, List<Glob> modelHints, Long maxTokensAbove,
        Long maxTokensAtMost, Long promptCharsAbove, Boolean hasTools, Boolean hasImages, Set<IncludeContext> includeContext,
        List<Pattern> textMatches) {

    public Conditions {
        tenants = List.copyOf(tenants);
        hosts = List.copyOf(hosts);
        servers = List.copyOf(servers);
        modelHints = List.copyOf(modelHints);
        includeContext = Set.copyOf(includeContext);
        textMatches = List.copyOf(textMatches);
    }

    /** No conditions: matches everything. */
    public static Conditions always() {
        return new Conditions(List.of(), List.of(), List.of(), List.of(), null, null, null, null, null, Set.of(), List.of());
    }

    /** Cheap checks first; the regular expressions, which read the whole prompt, last. */
    public boolean matches(RequestFacts request) {
        return (tenants.isEmpty() || request.tenant() != null && anyGlob(tenants, request.tenant()))
                && anyGlob(hosts, request.hostId())
                && anyGlob(servers, request.serverName())
                && (modelHints.isEmpty() || request.modelHints().stream().anyMatch(hint -> anyGlob(modelHints, hint)))
                && (maxTokensAbove == null || request.maxTokens() > maxTokensAbove)
                && (maxTokensAtMost == null || request.maxTokens() <= maxTokensAtMost)
                && (hasTools == null || request.hasTools() == hasTools)
                && (includeContext.isEmpty() || includeContext.contains(request.includeContext()))
                && (hasImages == null || request.hasImages() == hasImages)
                && (promptCharsAbove == null || request.promptChars() > promptCharsAbove)
                && (textMatches.isEmpty() || anyText(request.texts()));
    }

    private static boolean anyGlob(List<Glob> globs, String value) {
        return globs.isEmpty() || globs.stream().anyMatch(glob -> glob.matches(value));
    }

    private boolean anyText(List<String> texts) {
        for (Pattern pattern : textMatches) {
            for (String text : texts) {
                if (pattern.matcher(text).find()) {
                    return true;
                }
            }
        }
        return false;
    }
}
