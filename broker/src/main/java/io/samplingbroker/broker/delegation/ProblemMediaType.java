package io.samplingbroker.broker.delegation;

import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.mediatype.ContentAnalyser;
import io.vertx.openapi.mediatype.MediaTypeRegistration;
import io.vertx.openapi.validation.ValidationContext;

/**
 * {@value ApiProblem#MEDIA_TYPE} (RFC 9457), which the document names for every refusal: JSON to Vert.x's OpenAPI
 * support, which knows only the common media types by name.
 */
final class ProblemMediaType implements MediaTypeRegistration {

    static final ProblemMediaType INSTANCE = new ProblemMediaType();

    private ProblemMediaType() {
    }

    @Override
    public ContentAnalyser createContentAnalyser(String contentType, Buffer content, ValidationContext context) {
        return MediaTypeRegistration.APPLICATION_JSON.createContentAnalyser(contentType, content, context);
    }

    @Override
    public boolean canHandle(String mediaType) {
        return ApiProblem.MEDIA_TYPE.equals(mediaType);
    }

    @Override
    public List<String> supportedTypes() {
        return List.of(ApiProblem.MEDIA_TYPE);
    }
}
