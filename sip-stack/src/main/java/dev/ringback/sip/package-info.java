/**
 * Ringback's SIP user agent on JAIN-SIP RI: {@link dev.ringback.sip.SipUserAgent} places calls through the trunk
 * ({@code dial}) and receives calls ({@code onIncomingCall}). Inside an answered call it answers the far end's
 * re-INVITE/UPDATE (hold, resume, new media address: {@link dev.ringback.sip.CallEvent.MediaChanged}), transfers blind
 * with REFER ({@link dev.ringback.sip.SipCall#transfer(String)}) and keeps RFC 4028 session timers. Towards the trunk it
 * fails over along a priority list of hosts and probes them with OPTIONS ({@link dev.ringback.sip.SipUserAgent#trunkStatus()}).
 * It speaks UDP, TCP or TLS (each agent with its own trust and key stores: {@link dev.ringback.sip.tls.TlsSettings}), can
 * send its requests through an outbound proxy, and can keep itself registered with a PBX or trunk
 * ({@link dev.ringback.sip.RegistrationSettings}, {@link dev.ringback.sip.SipUserAgent#registrationStatus()}).
 * Everything is configured by one {@link dev.ringback.sip.SipConfig}, made with its builder.
 *
 * <p>Threading: each agent has one event thread ("sip-events-&lt;stack&gt;"). Every {@link dev.ringback.sip.CallEvent},
 * every {@link dev.ringback.sip.IncomingCallHandler} call and every call state change runs on it, in order, for all
 * calls of that agent; listeners and handlers must not block. {@code dial}, {@code hangUp}, {@code answer},
 * {@code reject} and {@code transfer} may be called from any thread (they post to the event thread) and return at once;
 * the transfer's future and the trunk status listener complete/run on the event thread too.
 *
 * <p>Inside: {@code AgentBootstrap} starts and stops an agent's stack and event thread; {@code SipEventRouter} routes
 * what the stack hands over to calls by Call-ID. Status codes of responses to our INVITE are read in one place, the
 * UAC state machine {@code OutboundCall} (with {@code InviteBuilder} making each INVITE and {@code InviteRetries} the
 * 3xx/422/401/407 retries), and mapped by {@link dev.ringback.sip.CallOutcome}; the UAS is {@code InboundCall}.
 * Inside an established dialog, {@code DialogSession} takes re-INVITE/UPDATE, {@code ReferTransfer} REFER/NOTIFY and
 * {@code SessionTimer} the session refresh. {@code Registration} keeps the REGISTER binding, {@code TrunkMonitor} the
 * trunk hosts' state. Subpackages hold the layers below: {@link dev.ringback.sip.tls} (TLS for JAIN-SIP from the
 * agent's own stores) and {@link dev.ringback.sip.auth} (RFC 2617 digest).
 */
package dev.ringback.sip;
