package dev.ringback.sip;

import java.time.Duration;
import java.util.Optional;

/** How the tests' agents are set up: the number they dial and their config towards a trunk on loopback. */
final class TestAgents {
    /** The customer's number the tests' calls dial. */
    static final String NUMBER = "+61412000111";

    private TestAgents() {
    }

    /** An agent on a free loopback UDP port calling through the trunk at 127.0.0.1:{@code trunkPort}. */
    static SipConfig config(int trunkPort, Optional<Credentials> credentials, Duration inviteTimeout, Duration ringTimeout) {
        return new SipConfig("127.0.0.1", 0, Transport.UDP, "127.0.0.1", trunkPort, credentials,
                "ringback", "Ringback Test", inviteTimeout, ringTimeout);
    }
}
