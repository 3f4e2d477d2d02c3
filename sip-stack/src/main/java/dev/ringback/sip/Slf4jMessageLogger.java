package dev.ringback.sip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's message trace, at TRACE on logger "dev.ringback.sip.wire" (off by default), instead of a log file
 * in the working directory. Instantiated by the stack by class name (property gov.nist.javax.sip.SERVER_LOGGER).
 */
public final class Slf4jMessageLogger implements ServerLogger {
    private static final Logger WIRE = LoggerFactory.getLogger("dev.ringback.sip.wire");

    static boolean enabled() {
        return WIRE.isTraceEnabled();
    }

    @Override public void closeLogFile() { }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        if (enabled()) WIRE.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        logMessage(message, from, to, sender, time);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        logMessage(message, from, to, sender, 0);
    }

    @Override public void logException(Exception ex) { WIRE.debug("JAIN-SIP exception", ex); }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public void setSipStack(SipStack sipStack) { }
}
