/**
 * RTP media for one telephone call per {@link dev.ringback.media.RtpSession}, on Netty.
 *
 * <p>An {@link dev.ringback.media.RtpEngine} owns the shared parts: one event-loop group (epoll, NIO fallback),
 * the 20 ms {@code PacingClock} (a timer on each event loop; every session keeps a fixed 1 ms phase within the
 * period, so a loop sends a twentieth of its sessions per wake-up instead of all of them in one burst), the
 * even-port pool, and one recorder thread that appends call recordings to disk. Each session is bound to one event
 * loop with both its sockets (RTP on the even port, RTCP on the odd one above); everything a session does with
 * packets (send, receive, SRTP, RTCP, jitter buffer, decode, DTMF, listener calls, normal Playout completion)
 * happens on that loop, so listeners must hand work off and return. Producers ({@code play}, {@code flush},
 * {@code sendDtmf}) may be on any thread.
 *
 * <p>A session is a facade over stages that each count what they passed and dropped, by reason
 * ({@link dev.ringback.media.RtpStats#stages()}): the sender here, and in the subpackages, which never import this
 * one, {@code rtp} (packet format, decoder, source latch, receive path and jitter buffer), {@code srtp} (SRTP/SRTCP),
 * {@code rtcp} (reports) and {@code stage} (the counters they share).
 *
 * <p>Per session: SRTP/SRTCP with SDES keys ({@link dev.ringback.media.SrtpKeys}), RTCP reports and
 * {@link dev.ringback.media.RtcpStats}, stereo call recording ({@link dev.ringback.media.CallRecorder}), RFC 4733
 * DTMF both ways; between two sessions, {@link dev.ringback.media.RtpBridge}.
 *
 * <p>Not here yet: codecs other than G.711, DTLS-SRTP.
 */
package dev.ringback.media;
