package io.samplingbroker.reviewconsole;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.samplingbroker.schemas.json.McpJson;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one place that names the console's errors, their HTTP statuses and their JSON shape
 * {@code {"error": code, "message": sentence, ...}} (see console-api.md).
 */
enum ConsoleErrors {

    INVALID_REQUEST(400, "invalid_request"),
    INVALID_DECISION(400, "invalid_decision"),
    SIGN_IN_EXPIRED(400, "sign_in_expired"),
    UNAUTHENTICATED(401, "unauthenticated"),
    SIGN_IN_REFUSED(403, "sign_in_refused"),
    INVALID_CREDENTIALS(401, "invalid_credentials"),
    CSRF_TOKEN_INVALID(403, "csrf_token_invalid"),
    ORIGIN_NOT_ALLOWED(403, "origin_not_allowed"),
    UNKNOWN_REQUEST(404, "unknown_request"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    ALREADY_DECIDED(409, "already_decided"),
    STAGE_MISMATCH(409, "stage_mismatch"),
    NO_LONGER_PENDING(410, "no_longer_pending"),
    BODY_TOO_LARGE(413, "body_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    TOO_MANY_ATTEMPTS(429, "too_many_attempts"),
    INTERNAL(500, "internal_error"),
    IDENTITY_PROVIDER_FAILED(502, "identity_provider_failed"),
    REVIEW_UNAVAILABLE(503, "review_unavailable");

    private final int status;
    private final String code;

    ConsoleErrors(int status, String code) {
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The error body, to which callers may add the fields the contract names ({@code pointer}, {@code state}, ...). */
    ObjectNode body(String message) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("error", code);
        json.put("message", message);
        return json;
    }

    void send(HttpServerResponse response, String message) {
        send(response, body(message));
    }

    void send(HttpServerResponse response, ObjectNode body) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(McpJson.write(body));
    }

    /** The error of a status Vert.x produced itself (body limit, unknown route, ...). */
    static ConsoleErrors ofStatus(int status) {
        for (ConsoleErrors error : values()) {
            if (error.status == status && error != INVALID_DECISION && error != INVALID_CREDENTIALS
                    && error != UNKNOWN_REQUEST && error != ALREADY_DECIDED && error != CSRF_TOKEN_INVALID
                    && error != SIGN_IN_EXPIRED && error != SIGN_IN_REFUSED) {
                return error;
            }
        }
        return INTERNAL;
    }
}
