package dev.ringback.agent.language;

/** What an utterance says, independent of the dialog state. */
public enum Signal {
    YES, NO, DONE, THANKS,
    BOOK, RESCHEDULE, CANCEL, PRICE, MESSAGE, OWNER_CALLBACK, CALL_LATER, BUSY,
    EMERGENCY, NOT_URGENT, TRANSFER_REQUEST,
    HUMAN_QUESTION, REPEAT, HOLD, FLEXIBLE
}
