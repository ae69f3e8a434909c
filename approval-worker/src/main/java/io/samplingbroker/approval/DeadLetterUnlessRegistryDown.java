package io.samplingbroker.approval;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.samplingbroker.schemas.registry.SchemaRegistryUnavailableException;

/**
 * A record that cannot be read goes to the dead-letter topic and processing goes on, so one bad record does not stop
 * every decision. Except when the schema registry is unreachable: that record is fine and must not be lost, so the
 * stream thread fails, is replaced, and reads it again from the last commit.
 */
public final class DeadLetterUnlessRegistryDown extends LogAndContinueExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterUnlessRegistryDown.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException) {
                LOG.warn("Cannot read {}-{}@{} while the schema registry is unreachable; will retry it: {}",
                        record.topic(), record.partition(), record.offset(), cause.getMessage());
                return Response.fail();
            }
        }
        return super.handleError(context, record, exception);
    }
}
