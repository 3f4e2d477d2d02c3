/**
 * Ringback's SIP user agent on JAIN-SIP RI: {@link dev.ringback.sip.SipUserAgent} places calls through the trunk
 * ({@code dial}) and receives calls ({@code onIncomingCall}).
 *
 * <p>Threading: each agent has one event thread ("sip-events-&lt;stack&gt;"). Every {@link dev.ringback.sip.CallEvent},
 * every {@link dev.ringback.sip.IncomingCallHandler} call and every call state change runs on it, in order, for all
 * calls of that agent; listeners and handlers must not block. {@code dial}, {@code hangUp}, {@code answer} and
 * {@code reject} may be called from any thread (they post to the event thread) and return at once.
 *
 * <p>Status codes are read in exactly one place, the UAC state machine {@code OutboundCall}.
 */
package dev.ringback.sip;
