package dev.ringback.server.sms;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Texts that plainly ask for a call are flagged; ones that do not, or say not to call, are not. */
class CallIntentTest {

    @ParameterizedTest
    @ValueSource(strings = {"Can you call me?", "give us a ring when you can", "pls call", "can you ring me",
            "Hi, toilet is leaking, please call", "Could someone phone me back", "CALL ME", "call back asap",
            "can u call", "Give me a buzz"})
    void asks(String text) {
        assertTrue(CallIntent.asksForCall(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"What time do you open?", "don't call me, text only", "no need to call, thanks",
            "I'll call you tomorrow", "my toilet keeps running", "Please do not ring me at work", ""})
    void doesNotAsk(String text) {
        assertFalse(CallIntent.asksForCall(text), text);
    }
}
