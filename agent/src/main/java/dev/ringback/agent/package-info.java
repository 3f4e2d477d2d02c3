/**
 * The voice agent's brain: continues a customer's SMS conversation by phone for one business.
 *
 * <p>This package holds what goes in and out of a call's dialog: {@link dev.ringback.agent.CallbackContext}
 * (who, the SMS thread, the clock), {@link dev.ringback.agent.Heard} (a customer turn as recognised),
 * {@link dev.ringback.agent.ExpectedAnswer} (what the last question waits for) and
 * {@link dev.ringback.agent.AgentTurn} (what the agent says and did).
 *
 * <p>Packages depend one way, each only on those listed before it:
 * {@code business} (business.yaml and the value types: jobs, windows, messages),
 * {@code store} (the business store: H2 through any DataSource, Flyway history table
 * {@code agent_schema_history}, tables prefixed {@code agent_}), {@code language} (understanding a turn),
 * {@code tools} (typed, bounded, idempotent tool calls), {@code policy} (the sentence guardrail), this package,
 * {@code dialog} (the {@link dev.ringback.agent.dialog.DialogManager}: one per call, deterministic, clock = the
 * SMS time) and {@code scenario} (the scenario format, the text-level {@code converse} runner and the scorer).
 */
package dev.ringback.agent;
