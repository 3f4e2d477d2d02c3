/**
 * RTP itself (RFC 3550, RFC 4733): the packet format, and the receive stages of a session that need nothing but
 * packets — decoding, the source latch, the jitter buffer, reception statistics, telephone-event digits.
 */
package dev.ringback.media.rtp;
