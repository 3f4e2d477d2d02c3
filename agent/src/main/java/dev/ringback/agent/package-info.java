/**
 * The voice agent's brain: continues a customer's SMS conversation by phone for one business.
 *
 * <p>Entry points for the server: {@link dev.ringback.agent.BusinessProfile#load} (business.yaml),
 * {@link dev.ringback.agent.BusinessStore} (H2 through any DataSource, Flyway history table
 * {@code agent_schema_history}, tables prefixed {@code agent_}), {@link dev.ringback.agent.DialogManager}
 * (one per call, deterministic, clock = the SMS time) and {@link dev.ringback.agent.ScenarioConversation}
 * (the text-level {@code converse} runner). Tools live in {@code tools}, understanding in {@code language},
 * the guardrail in {@code policy}.
 */
package dev.ringback.agent;
