package dev.ringback.server.call;

import dev.ringback.agent.business.BusinessProfile;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.media.RtpEngine;
import dev.ringback.server.config.RingbackConfig.CallConfig;
import dev.ringback.server.store.CallStore;
import dev.ringback.server.store.CallbackRequestStore;
import dev.ringback.sip.SipUserAgent;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** What every call needs, built once by the server. */
public record CallServices(
        SipUserAgent sip,
        RtpEngine rtp,
        String rtpHost,
        SpeechServices speech,
        BusinessProfile business,
        BusinessStore businessStore,
        CallStore calls,
        CallbackRequestStore requests,
        CallMonitor monitor,
        ScheduledExecutorService timers,
        ExecutorService workers,
        CallConfig callConfig,
        Path recordingsDir) {

    /** Where a call's stereo recording (customer left, agent right) is written. */
    public Path recordingOf(String callId) {
        return recordingsDir.resolve(callId + ".wav");
    }
}
