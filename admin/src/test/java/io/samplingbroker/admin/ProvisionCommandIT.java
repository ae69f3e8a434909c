package io.samplingbroker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.samplingbroker.testsupport.KafkaStack;
import io.samplingbroker.testsupport.KafkaStackExtension;

/** {@code sampling-admin provision} on the secured embedded Kafka, as an operator runs it: twice, the second a no-op. */
@ExtendWith(KafkaStackExtension.class)
class ProvisionCommandIT {

    @Test
    void givenAnEmptyPrefix_whenProvisionedTwice_thenTopicsSchemasAndTheServicesAclsExistAndTheSecondRunCreatesNothing(
            KafkaStack stack) throws Exception {
        Assumptions.assumeTrue(stack.security() != null, "ACLs need the secured embedded Kafka");
        String prefix = KafkaStack.uniqueName("provisioned") + ".";

        Run first = admin(stack, "provision", "--topic-prefix", prefix, "--registry-url", stack.schemaRegistryUrl());
        Run second = admin(stack, "provision", "--topic-prefix", prefix, "--registry-url", stack.schemaRegistryUrl());

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("Provisioned " + prefix + "*: 9 topics (9 created), 8 schemas");
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).contains("9 topics (0 created)");
        try (Admin admin = Admin.create(stack.clientConfig())) {
            Collection<AclBinding> acls = admin.describeAcls(AclBindingFilter.ANY).values().get();
            assertThat(acls).anySatisfy(acl -> {
                assertThat(acl.entry().principal()).isEqualTo("User:model-worker");
                assertThat(acl.entry().operation()).isEqualTo(AclOperation.WRITE);
                assertThat(acl.pattern().name()).isEqualTo(prefix + "completions");
            });
            assertThat(acls).noneSatisfy(acl -> {
                assertThat(acl.entry().principal()).isEqualTo("User:model-worker");
                assertThat(acl.entry().operation()).isEqualTo(AclOperation.WRITE);
                assertThat(acl.pattern().name()).isEqualTo(prefix + "requests");
            });
        }
    }

    @Test
    void givenAnUnknownService_whenProvisioned_thenItIsABadArgumentNamingTheServices(KafkaStack stack) {
        Run run = admin(stack, "provision", "--principal", "billing=User:billing");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--principal billing=...: no such service").contains("model-worker");
    }

    private record Run(int status, String out, String err) {
    }

    private static Run admin(KafkaStack stack, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        Map<String, String> environment = new HashMap<>(stack.clientEnvironment("admin"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AdminMain.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment, Clock.systemUTC());
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
