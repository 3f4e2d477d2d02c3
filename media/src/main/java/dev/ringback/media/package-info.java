/**
 * RTP media for one telephone call per {@link dev.ringback.media.RtpSession}, on Netty.
 *
 * <p>An {@link dev.ringback.media.RtpEngine} owns the shared parts: one event-loop group (epoll, NIO
 * fallback), one pacing thread whose 20 ms deadlines are computed from its start, and the even-port pool.
 * Each session is bound to one event loop; everything a session does with packets (send, receive, jitter
 * buffer, decode, listener calls, normal Playout completion) happens on that loop, so listeners must hand
 * work off and return. Producers ({@code play}, {@code flush}) may be on any thread.
 *
 * <p>Not here yet: RTCP (the odd port is left free, not bound), SRTP, re-targeting a started session,
 * codecs other than G.711.
 */
package dev.ringback.media;
