package io.samplingbroker.benchmark.jmh;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.samplingbroker.broker.auth.BearerTokens;
import io.samplingbroker.broker.auth.HostAuthSettings;
import io.samplingbroker.broker.auth.HostPrincipal;
import io.samplingbroker.testsupport.TestIssuer;

/**
 * What checking a host's bearer token costs on every request to the gateway: {@link BearerTokens#verify} of an RS256
 * token whose key is cached (signature, times, issuer, audience, scope), beside a floor measured in the same run, the
 * SHA-256 of the same token text (the least any check of a credential does: an API key costs about that).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HostTokenBenchmark {

    private static final String RESOURCE = "https://broker.test";

    private TestIssuer issuer;
    private BearerTokens tokens;
    private String token;
    private MessageDigest sha256;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        issuer = TestIssuer.start();
        tokens = new BearerTokens(HostAuthSettings.oauth(issuer.issuer(), issuer.jwksUrl(), URI.create(RESOURCE)));
        token = issuer.token("bench-host", "tenant-a", "sampling:use", RESOURCE + "/mcp/bench");
        tokens.verify(token, "bench"); // fetches and caches the issuer's keys, as the first request does
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        issuer.close();
    }

    @Benchmark
    public HostPrincipal verifyToken() throws BearerTokens.Refused {
        return tokens.verify(token, "bench");
    }

    @Benchmark
    public byte[] floorSha256OfToken() throws NoSuchAlgorithmException {
        return sha256.digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
