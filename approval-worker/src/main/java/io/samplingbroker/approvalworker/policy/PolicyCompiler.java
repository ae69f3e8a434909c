package io.samplingbroker.approvalworker.policy;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonLocation;

import io.samplingbroker.events.mcp.IncludeContext;
import io.samplingbroker.serviceruntime.Glob;

/**
 * Turns the bound file into a {@link Policy}, checking what Jackson cannot: required fields, known actions and
 * scopes, sane numbers, compilable regular expressions, unique rule ids. Every complaint names the line.
 */
final class PolicyCompiler {

    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String ACTIONS = "approve, deny, amend, hold or forward";
    /** The largest amount of money whose micro-units a long holds. */
    private static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(Long.MAX_VALUE).movePointLeft(6);

    private final String source;
    private final SourceLocations locations;

    PolicyCompiler(String source, SourceLocations locations) {
        this.source = source;
        this.locations = locations;
    }

    Policy compile(PolicyDocument document) {
        Where root = new Where("", "");
        if (document == null) {
            throw fail(root, "the policy is empty; it needs at least a defaultAction (" + ACTIONS + ")");
        }
        if (document.defaultAction() == null) {
            throw fail(root, "defaultAction is missing: say what happens when no rule matches (" + ACTIONS + ")");
        }
        PolicyDocument.ActionSpec defaults = document.defaultAction();
        Where defaultWhere = root.field("defaultAction");
        RuleAction defaultAction = action(defaults.action(), defaults.reason(), defaults.amend(),
                defaults.reviewResponse(), defaultWhere);

        List<Rule> rules = new ArrayList<>();
        Map<String, Where> ids = new HashMap<>();
        List<PolicyDocument.RuleSpec> specs = document.rules() == null ? List.of() : document.rules();
        for (int i = 0; i < specs.size(); i++) {
            Where where = root.field("rules").index(i);
            PolicyDocument.RuleSpec spec = specs.get(i);
            if (spec == null) {
                throw fail(where, "empty rule");
            }
            Rule rule = rule(spec, where);
            Where previous = ids.putIfAbsent(rule.id(), where.field("id"));
            if (previous != null) {
                throw fail(where.field("id"), "rule id '" + rule.id() + "' is already used by " + previous.path
                        + " (line " + lineOf(previous) + "); ids must be unique");
            }
            rules.add(rule);
        }
        return new Policy(source, rules, defaultAction);
    }

    private Rule rule(PolicyDocument.RuleSpec spec, Where where) {
        if (spec.id() == null || spec.id().isBlank()) {
            throw fail(where, "id is missing: every rule needs an id (letters, digits, '.', '_', '-')");
        }
        if (!RULE_ID.matcher(spec.id()).matches()) {
            throw fail(where.field("id"), "id '" + spec.id() + "' may only use letters, digits, '.', '_' and '-'");
        }
        UsageLimit limit = limit(spec, where);
        Conditions when = spec.when() == null ? Conditions.always() : conditions(spec.when(), where.field("when"));
        return new Rule(spec.id(), when, limit,
                action(spec.action(), spec.reason(), spec.amend(), spec.reviewResponse(), where));
    }

    /** The rule's one limit, or null. */
    private UsageLimit limit(PolicyDocument.RuleSpec spec, Where where) {
        long limits = Stream.of(spec.rateLimit(), spec.tokenBudget(), spec.costBudget()).filter(Objects::nonNull)
                .count();
        if (limits > 1) {
            String second = spec.costBudget() != null ? "costBudget" : "tokenBudget";
            throw fail(where.field(second), "a rule has one limit: rateLimit, tokenBudget or costBudget; write a rule"
                    + " for each");
        }
        if (spec.rateLimit() != null) {
            Where at = where.field("rateLimit");
            return new UsageLimit.RateLimit(scope(spec.rateLimit().per(), at),
                    positive(spec.rateLimit().requestsPerMinute(), at.field("requestsPerMinute")));
        }
        if (spec.tokenBudget() != null) {
            PolicyDocument.TokenBudgetSpec budget = spec.tokenBudget();
            Where at = where.field("tokenBudget");
            BudgetPeriod period = period(budget.tokensPerDay(), budget.tokensPerMonth(), "tokensPerDay",
                    "tokensPerMonth", at);
            String field = period == BudgetPeriod.DAY ? "tokensPerDay" : "tokensPerMonth";
            return new UsageLimit.TokenBudget(scope(budget.per(), at), positive(period == BudgetPeriod.DAY
                    ? budget.tokensPerDay() : budget.tokensPerMonth(), at.field(field)), period,
                    zone(budget.zone(), at));
        }
        if (spec.costBudget() != null) {
            PolicyDocument.CostBudgetSpec budget = spec.costBudget();
            Where at = where.field("costBudget");
            BudgetPeriod period = period(budget.perDay(), budget.perMonth(), "perDay", "perMonth", at);
            String field = period == BudgetPeriod.DAY ? "perDay" : "perMonth";
            return new UsageLimit.CostBudget(scope(budget.per(), at), micros(period == BudgetPeriod.DAY
                    ? budget.perDay() : budget.perMonth(), at.field(field)), period, zone(budget.zone(), at));
        }
        return null;
    }

    private BudgetPeriod period(Object perDay, Object perMonth, String dayField, String monthField, Where where) {
        if (perDay != null && perMonth != null) {
            throw fail(where, "a budget is per day or per month: set " + dayField + " or " + monthField
                    + ", not both; write a rule for each");
        }
        if (perDay == null && perMonth == null) {
            throw fail(where, dayField + " or " + monthField + " is missing");
        }
        return perDay != null ? BudgetPeriod.DAY : BudgetPeriod.MONTH;
    }

    private ZoneId zone(String zone, Where where) {
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw fail(where.field("zone"), "unknown time zone '" + zone + "'; use a region such as Europe/Paris or"
                    + " an offset such as +02:00");
        }
    }

    /** An amount of money as micro-units of the currency: at least one, at most six decimals, at most a long. */
    private long micros(BigDecimal amount, Where where) {
        if (amount.signum() <= 0) {
            throw fail(where, "must be more than 0, got " + shown(amount));
        }
        if (amount.stripTrailingZeros().scale() > 6) {
            throw fail(where, "at most six decimals, got " + shown(amount));
        }
        // compared before it is moved: 1e20 does not fit a long of micro-units, and 1e2147483647 not even a scale
        if (amount.compareTo(MAX_AMOUNT) > 0) {
            throw fail(where, "at most " + MAX_AMOUNT.toPlainString() + ", got " + shown(amount));
        }
        return amount.movePointRight(6).longValueExact();
    }

    /** An amount as written, unless its exponent is large: 1e-99999999 in plain digits is 100 million characters. */
    private static String shown(BigDecimal amount) {
        return Math.abs((long) amount.scale()) <= 30 ? amount.toPlainString() : amount.toString();
    }

    private RuleAction action(String name, String reason, PolicyDocument.AmendSpec amend, Boolean reviewResponseFlag,
            Where where) {
        if (name == null) {
            throw fail(where, "action is missing (" + ACTIONS + ")");
        }
        Where at = where.field("action");
        RuleAction.Kind kind = switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "approve" -> RuleAction.Kind.APPROVE;
            case "deny" -> RuleAction.Kind.DENY;
            case "amend" -> RuleAction.Kind.AMEND;
            case "hold" -> RuleAction.Kind.HOLD;
            case "forward" -> RuleAction.Kind.FORWARD;
            default -> throw fail(at, "unknown action '" + name + "'; use " + ACTIONS);
        };
        if (reason != null && reason.isBlank()) {
            throw fail(where.field("reason"), "reason is blank; write one or leave it out");
        }
        boolean reviewResponse = Boolean.TRUE.equals(reviewResponseFlag);
        if (reviewResponse && kind == RuleAction.Kind.DENY) {
            throw fail(where.field("reviewResponse"), "reviewResponse holds the model's answer for a reviewer; a "
                    + "denied request has none (use it with approve, amend, hold or forward)");
        }
        if (kind != RuleAction.Kind.AMEND) {
            if (amend != null) {
                throw fail(where.field("amend"), "amend is only for 'action: amend', this action is '" + name + "'");
            }
            return new RuleAction(kind, reason, null, reviewResponse);
        }
        if (amend == null) {
            throw fail(where, "action 'amend' needs an amend block (capMaxTokens, forceModel, dropIncludeContext)");
        }
        Where amendAt = where.field("amend");
        Long cap = amend.capMaxTokens() == null ? null : positive(amend.capMaxTokens(), amendAt.field("capMaxTokens"));
        if (amend.forceModel() != null && amend.forceModel().isBlank()) {
            throw fail(amendAt.field("forceModel"), "forceModel is blank; name a model or leave it out");
        }
        boolean dropContext = Boolean.TRUE.equals(amend.dropIncludeContext());
        if (cap == null && amend.forceModel() == null && !dropContext) {
            throw fail(amendAt, "amend changes nothing; give capMaxTokens, forceModel or dropIncludeContext: true");
        }
        return new RuleAction(kind, reason, new Amendment(cap, amend.forceModel(), dropContext), reviewResponse);
    }

    private Conditions conditions(PolicyDocument.WhenSpec when, Where where) {
        Long above = when.maxTokensAbove() == null ? null : atLeastZero(when.maxTokensAbove(), where.field("maxTokensAbove"));
        Long atMost = when.maxTokensAtMost() == null ? null : atLeastZero(when.maxTokensAtMost(), where.field("maxTokensAtMost"));
        Long charsAbove = when.promptCharsAbove() == null ? null
                : atLeastZero(when.promptCharsAbove(), where.field("promptCharsAbove"));
        return new Conditions(globs(when.tenant(), where.field("tenant")), globs(when.host(), where.field("host")), globs(when.server(), where.field("server")),
                globs(when.modelHint(), where.field("modelHint")), above, atMost, charsAbove, when.hasTools(),
                when.hasImages(),
                includeContexts(when.includeContext(), where.field("includeContext")),
                patterns(when.textMatches(), where.field("textMatches")));
    }

    private List<Glob> globs(List<String> values, Where where) {
        List<Glob> globs = new ArrayList<>();
        for (int i = 0; values != null && i < values.size(); i++) {
            globs.add(new Glob(nonBlank(values, i, where)));
        }
        return globs;
    }

    private Set<IncludeContext> includeContexts(List<String> values, Where where) {
        Set<IncludeContext> set = EnumSet.noneOf(IncludeContext.class);
        for (int i = 0; values != null && i < values.size(); i++) {
            String value = nonBlank(values, i, where);
            try {
                set.add(IncludeContext.valueOf(value));
            } catch (IllegalArgumentException e) {
                throw fail(where.index(i), "unknown includeContext '" + value + "'; use none, thisServer or allServers");
            }
        }
        return set;
    }

    private List<Pattern> patterns(List<String> values, Where where) {
        List<Pattern> patterns = new ArrayList<>();
        for (int i = 0; values != null && i < values.size(); i++) {
            String value = nonBlank(values, i, where);
            try {
                patterns.add(Pattern.compile(value));
            } catch (PatternSyntaxException e) {
                throw fail(where.index(i), "invalid regular expression: " + e.getDescription() + " near index "
                        + e.getIndex() + " of '" + value + "'");
            }
        }
        return patterns;
    }

    private LimitScope scope(String per, Where where) {
        if (per == null) {
            throw fail(where, "per is missing: count per tenant, per host or per server");
        }
        return switch (per.trim().toLowerCase(Locale.ROOT)) {
            case "host" -> LimitScope.HOST;
            case "server" -> LimitScope.SERVER;
            case "tenant" -> LimitScope.TENANT;
            default -> throw fail(where.field("per"), "unknown scope '" + per + "'; use per: tenant, per: host or"
                    + " per: server");
        };
    }

    private long positive(Long value, Where where) {
        if (value == null) {
            throw fail(where, "missing (a whole number, at least 1)");
        }
        if (value < 1) {
            throw fail(where, "must be at least 1, got " + value);
        }
        return value;
    }

    private long atLeastZero(long value, Where where) {
        if (value < 0) {
            throw fail(where, "must not be negative, got " + value);
        }
        return value;
    }

    private String nonBlank(List<String> values, int index, Where where) {
        String value = values.get(index);
        if (value == null || value.isBlank()) {
            throw fail(where.index(index), "empty entry");
        }
        return value;
    }

    private int lineOf(Where where) {
        JsonLocation location = locations.find(where.pointer);
        return location == null ? -1 : location.getLineNr();
    }

    private PolicyFileException fail(Where where, String message) {
        JsonLocation location = locations.find(where.pointer);
        String prefix = where.path.isEmpty() ? "" : where.path + ": ";
        return new PolicyFileException(source, location == null ? -1 : location.getLineNr(),
                location == null ? -1 : location.getColumnNr(), prefix + message);
    }

    /** A place in the document, as a JSON pointer (for the location) and as a readable path (for the message). */
    private record Where(String pointer, String path) {

        Where field(String name) {
            return new Where(pointer + "/" + name, path.isEmpty() ? name : path + "." + name);
        }

        Where index(int i) {
            return new Where(pointer + "/" + i, path + "[" + i + "]");
        }
    }
}
