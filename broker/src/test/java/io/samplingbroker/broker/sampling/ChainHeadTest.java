package io.samplingbroker.broker.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChainHeadTest {

    private static final byte[] REQUEST = {1};
    private static final byte[] ANSWER = {2};
    private static final byte[] DELIVERED = {3};

    @Test
    void givenEventsInOrder_whenEachIsWrittenOrRead_thenTheLatestIsTheHead() {
        ChainHead chain = new ChainHead();
        chain.advanceFrom(null, REQUEST);
        chain.advance(ANSWER);
        chain.advanceFrom(ANSWER, DELIVERED);
        assertThat(chain.hash()).isEqualTo(DELIVERED);
    }

    @Test
    void givenTheAnswerReadBeforeTheSenderRecordedTheRequest_whenItDoes_thenTheAnswerStaysTheHead() {
        // Given the result reader saw the answer while the sender thread was still between send() and its record
        ChainHead chain = new ChainHead();
        chain.advance(ANSWER);
        // When the sender records the request it wrote (following nothing)
        chain.advanceFrom(null, REQUEST);
        // Then the delivery will follow the answer, not the request
        assertThat(chain.hash()).isEqualTo(ANSWER);
    }
}
