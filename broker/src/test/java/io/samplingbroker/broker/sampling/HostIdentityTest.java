package io.samplingbroker.broker.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostIdentityTest {

    @Test
    void givenAnAuthenticatedHost_whenItNamesItself_thenTheNameIsALabelAndNeverTheId() {
        HostIdentity host = HostIdentity.authenticated("alice-laptop", "acme", null);

        HostIdentity named = host.withClientName("bob-desktop");

        assertThat(named).isEqualTo(new HostIdentity("alice-laptop", "acme", "bob-desktop", true));
        assertThat(named.withClientName("carol")).as("the first name given stays").isEqualTo(named);
        assertThat(HostIdentity.authenticated("alice", null, "alice").label()).as("no label equal to the id").isNull();
    }

    @Test
    void givenAnUnauthenticatedHost_whenItNamesItself_thenTheFirstNameIsItsId() {
        assertThat(HostIdentity.selfNamed(null).withClientName("vscode")).isEqualTo(HostIdentity.selfNamed("vscode"));
        assertThat(HostIdentity.selfNamed("from-header").withClientName("vscode").id()).isEqualTo("from-header");
        assertThat(HostIdentity.selfNamed(null).withClientName(" ").id()).isNull();
    }

    @Test
    void givenOneSubjectInTwoTenants_thenItsLimitsAndWhatItOwnsAreTwoHostsApart() {
        HostIdentity acme = HostIdentity.authenticated("ci", "acme", null);
        HostIdentity globex = HostIdentity.authenticated("ci", "globex", null);

        assertThat(acme.key()).isNotEqualTo(globex.key());
        assertThat(acme.owner()).isNotEqualTo(globex.owner()).isEqualTo(HostIdentity.ownerOf("acme", "ci"));
        assertThat(HostIdentity.selfNamed("ci").key()).isEqualTo("ci");
        assertThat(HostIdentity.selfNamed("ci").owner()).as("a self-given name owns nothing").isNull();
    }
}
