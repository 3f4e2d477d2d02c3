package dev.ringback.sip;

import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.message.Request;

/** What the agent's dispatcher routes to a call by Call-ID. All methods run on the agent's event thread. */
interface ActiveCall {
    void onResponse(ResponseEvent event);

    /** An in-dialog request (ACK, BYE, CANCEL); {@code transaction} is null for ACK. */
    void onRequest(Request request, ServerTransaction transaction, Dialog dialog);

    void onTimeout(TimeoutEvent event);

    /** The agent is closing: end the call (CANCEL/BYE/decline) now. */
    void closeByAgent();
}
