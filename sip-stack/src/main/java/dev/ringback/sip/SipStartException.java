package dev.ringback.sip;

/** The SIP stack could not start (for example: the listen port is in use). */
public final class SipStartException extends Exception {
    public SipStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
