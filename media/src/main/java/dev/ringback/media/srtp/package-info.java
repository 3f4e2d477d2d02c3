/** SRTP and SRTCP (RFC 3711, AES_CM_128_HMAC_SHA1_80) through jitsi-srtp, and the session stage around them. */
package dev.ringback.media.srtp;
