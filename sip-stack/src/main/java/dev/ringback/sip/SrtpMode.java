package dev.ringback.sip;

/** Whether our calls use SRTP with SDES keys (RFC 4568, AES_CM_128_HMAC_SHA1_80). */
public enum SrtpMode {
    /** We offer plain RTP/AVP; an incoming RTP/SAVP offer with an acceptable crypto line is still answered with SRTP. */
    OFF,
    /** We offer RTP/SAVP with a crypto line and accept only answers and offers that carry an acceptable one. */
    REQUIRED
}
