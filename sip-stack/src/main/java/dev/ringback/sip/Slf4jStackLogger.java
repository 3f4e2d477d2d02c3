package dev.ringback.sip;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JAIN-SIP's internal log to SLF4J (logger "gov.nist.javax.sip") instead of its default log4j 1.x writer,
 * which is not on the class path and would write files. Debug chatter only appears if that logger is set to DEBUG.
 * Instantiated by the stack by class name (property gov.nist.javax.sip.STACK_LOGGER).
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");
    /** The stack quotes whole datagrams (as decimal byte lists) in its errors: a remote sender must not fill our log. */
    private static final int MAX_MESSAGE = 300;

    private static String capped(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE) + "… (" + message.length() + " chars)";
    }

    @Override public void logStackTrace() { }
    @Override public void logStackTrace(int traceLevel) { }
    @Override public int getLineCount() { return 0; }
    @Override public void logException(Throwable ex) { LOG.warn("JAIN-SIP exception", ex); }
    @Override public void logDebug(String message) { LOG.debug(message); }
    @Override public void logDebug(String message, Exception ex) { LOG.debug(message, ex); }
    @Override public void logTrace(String message) { LOG.trace(message); }
    @Override public void logFatalError(String message) { LOG.error(capped(message)); }
    @Override public void logError(String message) { LOG.error(capped(message)); }
    @Override public void logError(String message, Exception ex) { LOG.error(capped(message), ex); }
    @Override public void logWarning(String message) { LOG.debug(message); } // its warnings are start-up chatter (TLS defaults)
    @Override public void logInfo(String message) { LOG.debug(message); }
    @Override public boolean isLoggingEnabled() { return LOG.isDebugEnabled(); }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        if (logLevel <= TRACE_ERROR) return LOG.isErrorEnabled();
        // the stack only hands messages to its ServerLogger when TRACE_MESSAGES is enabled here
        if (logLevel == TRACE_MESSAGES && Slf4jMessageLogger.enabled()) return true;
        if (logLevel <= TRACE_DEBUG) return LOG.isDebugEnabled();
        return LOG.isTraceEnabled();
    }

    @Override public void disableLogging() { }
    @Override public void enableLogging() { }
    @Override public void setBuildTimeStamp(String buildTimeStamp) { }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public String getLoggerName() { return LOG.getName(); }
}
