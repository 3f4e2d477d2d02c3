package dev.ringback.speech.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void punctuationGoesApostrophesInsideWordsStay() {
        assertEquals("no that's everything thanks", Words.normalize("No, that's everything, thanks."));
        assertEquals("yep three o'clock today", Words.normalize("Yep, three o\u2019clock today!"));
        assertEquals(List.of("hi", "yes"), Words.of("  'Hi'  -- yes? "));
        assertEquals("", Words.normalize("?!"));
    }
}
