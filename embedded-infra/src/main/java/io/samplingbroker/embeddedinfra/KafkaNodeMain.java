package io.samplingbroker.embeddedinfra;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One node of a Kafka cluster as a process of its own (the fault suite kills and restarts nodes one at a time):
 * {@code KafkaNodeMain <data dir> <node id> <broker port> <controller port> <cluster id> <voters>}. Plaintext, data
 * kept in the directory across restarts; SIGTERM shuts the node down cleanly.
 */
public final class KafkaNodeMain {

    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 6) {
            System.err.println("usage: KafkaNodeMain <data dir> <node id> <broker port> <controller port>"
                    + " <cluster id> <voters: id@127.0.0.1:port,...>");
            System.exit(2);
        }
        EmbeddedKafkaBroker.Quorum quorum = new EmbeddedKafkaBroker.Quorum(Integer.parseInt(args[1]), args[4], args[5]);
        EmbeddedKafkaBroker node = new EmbeddedKafkaBroker(new EmbeddedKafkaBroker.Settings(Path.of(args[0]),
                Integer.parseInt(args[2]), Integer.parseInt(args[3]), false, Map.of(), null, quorum));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "kafka-node-stop"));
        node.start();
        stopped.await();
    }
}
