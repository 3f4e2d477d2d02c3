package dev.ringback.sip;

/** How the tests' agents are set up: the number they dial and their config towards a trunk on loopback. */
final class TestAgents {
    /** The customer's number the tests' calls dial. */
    static final String NUMBER = "+61412000111";

    private TestAgents() {
    }

    /**
     * An agent on a free loopback UDP port, From "Ringback Test" &lt;ringback&gt;, calling through the trunk at
     * 127.0.0.1:{@code trunkPort}, with a 3 s INVITE timeout and a 10 s ring timeout.
     */
    static SipConfig.Builder towardsTrunk(int trunkPort) {
        return SipConfig.builder()
                .listen("127.0.0.1", 0)
                .trunk("127.0.0.1", trunkPort)
                .from("ringback", "Ringback Test")
                .inviteTimeout(java.time.Duration.ofSeconds(3))
                .ringTimeout(java.time.Duration.ofSeconds(10));
    }

    /** {@link #towardsTrunk(int)} as it is. */
    static SipConfig config(int trunkPort) {
        return towardsTrunk(trunkPort).build();
    }
}
