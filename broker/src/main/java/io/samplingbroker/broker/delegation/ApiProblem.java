package io.samplingbroker.broker.delegation;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samplingbroker.schemas.SamplingErrors;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;

/**
 * The one shape of every refusal of the delegation API: RFC 9457 problem details, with the JSON pointer (into the
 * body) or the parameter at fault, and the request id when a request was made.
 *
 * @param status the HTTP status
 * @param detail what was wrong, and what to do about it
 * @param pointer the body member at fault, or null
 * @param parameter the header, path or query parameter at fault, or null
 * @param requestId the request it is about, or null
 */
record ApiProblem(int status, String detail, String pointer, String parameter, String requestId) {

    static final String MEDIA_TYPE = "application/problem+json";

    static ApiProblem of(int status, String detail) {
        return new ApiProblem(status, detail, null, null, null);
    }

    static ApiProblem at(String pointer, String detail) {
        return new ApiProblem(400, detail, pointer, null, null);
    }

    ApiProblem about(String id) {
        return new ApiProblem(status, detail, pointer, parameter, id);
    }

    /**
     * What a failed route says: a request the OpenAPI document refuses (400, naming where), a body over the limit
     * (413), or a failure of the broker's own (500).
     */
    static ApiProblem ofFailure(int statusCode, Throwable failure, long bodyLimit) {
        Throwable cause = failure instanceof HttpException http && http.getCause() != null ? http.getCause() : failure;
        if (cause instanceof SchemaValidationException invalid) {
            OutputUnit unit = deepest(invalid.getOutputUnit());
            String where = unit == null ? null : pointerOf(unit.getInstanceLocation());
            String why = unit == null || unit.getError() == null ? invalid.getMessage() : unit.getError();
            if (where == null || invalid.getMessage().contains("parameter")) {
                return new ApiProblem(400, invalid.getMessage(), null, parameterOf(invalid.getMessage()), null);
            }
            return new ApiProblem(400, "Invalid request body at " + (where.isEmpty() ? "/" : where) + ": " + why,
                    where, null, null);
        }
        if (cause instanceof ValidatorException invalid) {
            return new ApiProblem(400, invalid.getMessage(), null, parameterOf(invalid.getMessage()), null);
        }
        if (statusCode == 413) {
            return of(413, "Request body larger than " + bodyLimit + " bytes");
        }
        if (statusCode >= 400 && statusCode < 500) {
            return of(statusCode, failure == null ? "Request refused" : failure.getMessage());
        }
        return of(500, "The request could not be served: an internal error, which the broker logged");
    }

    /**
     * A refusal of the dispatcher's, before the pipeline, as the API's problem: bad params (400, naming where),
     * too large (413), a pending limit (429), not recorded (503); null for any other error, which is an outcome.
     *
     * @param error the JSON-RPC error the gateway would send
     */
    static ApiProblem ofRefusal(JsonObject error, String requestId) {
        int code = error.getInteger("code");
        String message = error.getString("message");
        JsonObject data = error.getValue("data") instanceof JsonObject object ? object : new JsonObject();
        if (code == SamplingErrors.INVALID_PARAMS && data.containsKey("limit")) {
            return new ApiProblem(413, message, null, null, requestId);
        }
        if (code == SamplingErrors.INVALID_PARAMS) {
            String pointer = data.getString("pointer");
            return new ApiProblem(400, message, pointer == null ? "/params" : "/params" + pointer, null, requestId);
        }
        if (code == SamplingErrors.LIMIT_REACHED) {
            return new ApiProblem(429, message, null, null, requestId);
        }
        if (code == SamplingErrors.REQUEST_NOT_RECORDED) {
            return new ApiProblem(503, message, null, null, requestId);
        }
        return null;
    }

    /** The most specific of the validator's findings: the one deepest in the document. */
    private static OutputUnit deepest(OutputUnit unit) {
        if (unit == null) {
            return null;
        }
        OutputUnit best = unit.getInstanceLocation() == null ? null : unit;
        List<OutputUnit> errors = unit.getErrors();
        if (errors != null) {
            for (OutputUnit error : errors) {
                OutputUnit candidate = deepest(error);
                if (candidate != null && (best == null || depth(candidate) > depth(best))) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    private static int depth(OutputUnit unit) {
        return pointerOf(unit.getInstanceLocation()).split("/", -1).length;
    }

    /** {@code #/params/messages/0} (the validator's form) as an RFC 6901 pointer, {@code /params/messages/0}. */
    static String pointerOf(String instanceLocation) {
        if (instanceLocation == null) {
            return null;
        }
        String location = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
        return location.equals("/") ? "" : location;
    }

    /** The validator names a parameter as {@code ... query parameter wait ...} or {@code ... parameter "wait" ...}. */
    private static final Pattern PARAMETER = Pattern.compile("parameter \"?([A-Za-z0-9_-]+)\"?");

    private static String parameterOf(String message) {
        Matcher matcher = PARAMETER.matcher(message == null ? "" : message);
        return matcher.find() ? matcher.group(1) : null;
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject().put("status", status).put("title", title()).put("detail", detail);
        if (pointer != null) {
            json.put("pointer", pointer);
        }
        if (parameter != null) {
            json.put("parameter", parameter);
        }
        if (requestId != null) {
            json.put("requestId", requestId);
        }
        return json;
    }

    String title() {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "Authentication required";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Request too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Idempotency key reused";
            case 429 -> "Limit reached";
            case 503 -> "Unavailable";
            default -> "Internal error";
        };
    }

    /** Completes once the problem is written; fails when it could not be (the response was answered or is gone). */
    Future<Void> send(HttpServerResponse response) {
        if (response.ended() || response.headWritten()) {
            return Future.failedFuture("the response was answered already");
        }
        return response.setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(toJson().encode());
    }
}
