package io.samplingbroker.reviewconsole;

import java.util.concurrent.CompletionStage;

import io.samplingbroker.events.ReviewCommand;

/** Where the console's commands go: the review-commands topic, read by the approval-worker. */
interface CommandSink {

    /** Completes once the command is durably written; fails when it was not. */
    CompletionStage<Void> send(ReviewCommand command);
}
