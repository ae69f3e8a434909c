package io.samplingbroker.broker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.schemas.topics.TopicsConfig;
import io.samplingbroker.serviceruntime.KafkaSettings;
import io.samplingbroker.serviceruntime.kafka.KafkaUnavailableException;
import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/** A broker creates no topic: on a Kafka nobody provisioned it stops at start-up, naming what is missing. */
@ExtendWith(KafkaStackExtension.class)
class UnprovisionedKafkaIT {

    @Test
    void givenTopicsNobodyProvisioned_whenABrokerStarts_thenItRefusesNamingTheTopicsAndTheCommand(KafkaStack stack) {
        String prefix = KafkaStack.uniqueName("unprovisioned") + ".";
        KafkaSettings kafka = KafkaSettings.of(stack.clientSettings(), stack.schemaRegistryUrl(),
                new TopicsConfig(prefix, 2, (short) 1, -1, Map.of()));

        assertThatThrownBy(() -> Broker.start(GatewayIT.config(kafka, "broker-unprovisioned",
                GatewayIT.stdioEverything(), Duration.ofSeconds(30))))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessageContaining("broker cannot start")
                .hasMessageContaining(prefix + "requests")
                .hasMessageContaining("do not exist")
                .hasMessageContaining("sampling-admin provision");
    }
}
