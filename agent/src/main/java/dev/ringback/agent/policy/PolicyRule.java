package dev.ringback.agent.policy;

/** What the agent must never say. */
public enum PolicyRule {
    /** an amount, a rate or an estimate */
    PRICE,
    /** "is this a good time?" and friends: the customer asked for this call */
    COLD_OPEN,
    /** pressure to commit */
    PUSH,
    /** asking for the number the agent is calling */
    ASK_NUMBER,
    /** work the customer did not state */
    INVENT_SCOPE
}
