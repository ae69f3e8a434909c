package io.samplingbroker.approvalworker.review;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.samplingbroker.events.ReviewCommand;

/** What the server is told about a reviewer's refusal, in the JSON-RPC error's {@code data}. */
final class ReviewerNote {

    /** {@code SamplingResolved.resolvedBy} of answers a reviewer concluded. */
    static final String RESOLVED_BY = "reviewer";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReviewerNote() {
    }

    /** {@code {"reason": "...", "reviewer": "..."}} as JSON text, escaped properly whatever the reviewer typed. */
    static String json(ReviewCommand command) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("reason", command.getReason());
        data.put("reviewer", command.getReviewer());
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a reviewer's note as JSON", e);
        }
    }
}
