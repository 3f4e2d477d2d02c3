/**
 * RFC 2617 digest authentication as SIP uses it (RFC 3261 22): the trunk's {@link dev.ringback.sip.auth.Credentials},
 * a parsed {@link dev.ringback.sip.auth.DigestChallenge} from a 401/407, and the Authorization header that answers it.
 * MD5 with or without qop=auth; anything else is refused, so a call or registration fails instead of looping.
 */
package dev.ringback.sip.auth;
