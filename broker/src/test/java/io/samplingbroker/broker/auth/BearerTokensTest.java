package io.samplingbroker.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jwt.PlainJWT;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.samplingbroker.testsupport.TestIssuer;

/** Token checks one by one, against a local issuer's JWKS over loopback HTTP. */
class BearerTokensTest {

    private static final String RESOURCE = "https://broker.test";
    private static TestIssuer issuer;
    private static BearerTokens tokens;

    @BeforeAll
    static void startIssuer() throws Exception {
        issuer = TestIssuer.start();
        tokens = new BearerTokens(new HostAuthSettings(HostAuthSettings.Mode.OAUTH, issuer.issuer(), issuer.jwksUrl(),
                URI.create(RESOURCE), "org", "sampling:use", Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void givenAValidToken_whenVerified_thenThePrincipalIsItsSubjectTenantAndScopes() throws Exception {
        String token = issuer.sign(issuer.claims("alice", null, "openid sampling:use", RESOURCE + "/mcp/notes",
                Instant.now().plusSeconds(60)).claim("org", "acme").build());

        HostPrincipal principal = tokens.verify(token, "notes");

        assertThat(principal).isEqualTo(new HostPrincipal("alice", "acme", Set.of("openid", "sampling:use")));
    }

    @Test
    void givenTheAudienceOfTheGatewayOrAnotherServer_whenVerified_thenOnlyTheGatewaysAndThisServersAreAccepted()
            throws Exception {
        assertThat(tokens.verify(issuer.token("a", null, "sampling:use", RESOURCE + "/mcp"), "notes").subject())
                .isEqualTo("a");
        assertThat(tokens.verify(issuer.token("b", null, "sampling:use", RESOURCE), "notes").subject()).isEqualTo("b");
        assertThatThrownBy(() -> tokens.verify(issuer.token("c", null, "sampling:use", RESOURCE + "/mcp/github"),
                "notes")).isInstanceOf(BearerTokens.Refused.class)
                .hasMessage("the token's audience (aud) does not name https://broker.test/mcp/notes");
    }

    @Test
    void givenTimesNearTheEdges_whenVerified_thenTheSkewIsToleratedAndNoMore() throws Exception {
        String justExpired = issuer.sign(issuer.claims("a", null, "sampling:use", RESOURCE,
                Instant.now().minusSeconds(10)).build());
        String longExpired = issuer.sign(issuer.claims("a", null, "sampling:use", RESOURCE,
                Instant.now().minusSeconds(120)).build());
        String notYet = issuer.sign(issuer.claims("a", null, "sampling:use", RESOURCE, Instant.now().plusSeconds(600))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(300))).build());

        assertThat(tokens.verify(justExpired, "notes").subject()).as("within 30 s of skew").isEqualTo("a");
        assertThatThrownBy(() -> tokens.verify(longExpired, "notes"))
                .hasMessage("the token expired (exp, 30 s of skew allowed)");
        assertThatThrownBy(() -> tokens.verify(notYet, "notes")).hasMessage("the token is not valid yet (nbf)");
    }

    @Test
    void givenScopesAsAList_whenVerified_thenTheyCountAndAMissingScopeIsInsufficientNotInvalid() throws Exception {
        String listed = issuer.sign(issuer.claims("a", null, null, RESOURCE, Instant.now().plusSeconds(60))
                .claim("scp", List.of("sampling:use")).build());
        String without = issuer.token("a", null, "openid", RESOURCE);

        assertThat(tokens.verify(listed, "notes").scopes()).containsExactly("sampling:use");
        assertThatThrownBy(() -> tokens.verify(without, "notes")).isInstanceOfSatisfying(BearerTokens.Refused.class,
                refused -> assertThat(refused.insufficientScope()).isTrue());
    }

    @Test
    void givenTokensWithoutASubjectOrUnsigned_whenVerified_thenTheyAreRefused() {
        String noSubject = issuer.sign(issuer.claims(null, null, "sampling:use", RESOURCE,
                Instant.now().plusSeconds(60)).build());
        String unsigned = new PlainJWT(issuer.claims("a", null, "sampling:use", RESOURCE,
                Instant.now().plusSeconds(60)).build()).serialize();

        assertThatThrownBy(() -> tokens.verify(noSubject, "notes")).hasMessage("the token lacks required claims [sub]");
        assertThatThrownBy(() -> tokens.verify(unsigned, "notes")).isInstanceOfSatisfying(BearerTokens.Refused.class,
                refused -> assertThat(refused.insufficientScope()).isFalse());
    }
}
