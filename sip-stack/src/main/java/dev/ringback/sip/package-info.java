/**
 * Ringback's SIP user agent on JAIN-SIP RI: {@link dev.ringback.sip.SipUserAgent} places calls through the trunk
 * ({@code dial}) and receives calls ({@code onIncomingCall}). Inside an answered call it answers the far end's
 * re-INVITE/UPDATE (hold, resume, new media address: {@link dev.ringback.sip.CallEvent.MediaChanged}), transfers blind
 * with REFER ({@link dev.ringback.sip.SipCall#transfer(String)}) and keeps RFC 4028 session timers. Towards the trunk it
 * fails over along a priority list of hosts and probes them with OPTIONS ({@link dev.ringback.sip.SipUserAgent#trunkStatus()}).
 * It speaks UDP, TCP or TLS (each agent with its own trust and key stores: {@link dev.ringback.sip.TlsSettings}), can
 * send its requests through an outbound proxy, and can keep itself registered with a PBX or trunk
 * ({@link dev.ringback.sip.RegistrationSettings}, {@link dev.ringback.sip.SipUserAgent#registrationStatus()}).
 *
 * <p>Threading: each agent has one event thread ("sip-events-&lt;stack&gt;"). Every {@link dev.ringback.sip.CallEvent},
 * every {@link dev.ringback.sip.IncomingCallHandler} call and every call state change runs on it, in order, for all
 * calls of that agent; listeners and handlers must not block. {@code dial}, {@code hangUp}, {@code answer},
 * {@code reject} and {@code transfer} may be called from any thread (they post to the event thread) and return at once;
 * the transfer's future and the trunk status listener complete/run on the event thread too.
 *
 * <p>Status codes of responses to our INVITE are read in one place, the UAC state machine {@code OutboundCall};
 * everything inside an established dialog (re-INVITE/UPDATE, REFER/NOTIFY, session refresh) in {@code DialogSession}.
 */
package dev.ringback.sip;
