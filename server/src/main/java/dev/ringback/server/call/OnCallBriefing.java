package dev.ringback.server.call;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * What the on-call person hears before a bridged caller is put through: who, on which number, what it is
 * about (the first sentence of the transfer reason the agent gave, drawn from the texts and the call) and when
 * they texted, in one short sentence for the TTS.
 */
record OnCallBriefing(Optional<String> customerName, String customerPhone, String reason, Optional<ZonedDateTime> textedAt) {
    private static final int MAX_TEXT = 80;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("h:mm a", Locale.ENGLISH);

    String sentence() {
        StringBuilder s = new StringBuilder("Ringback emergency transfer: ");
        s.append(customerName.filter(n -> !n.isBlank()).orElse("a caller")).append(" on ").append(spokenNumber(customerPhone));
        String what = firstSentence(reason);
        if (!what.isEmpty()) s.append(", ").append(what);
        textedAt.ifPresent(at -> s.append(", texted at ").append(CLOCK.format(at)));
        return s.append(". Connecting you now.").toString();
    }

    /** Digit by digit in groups of three from the end, so TTS does not read it as one huge number. */
    static String spokenNumber(String e164) {
        String digits = e164.replaceAll("[^0-9]", "");
        StringBuilder out = new StringBuilder(e164.startsWith("+") ? "plus " : "");
        int firstGroup = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0) out.append(i == firstGroup || i > firstGroup && (i - firstGroup) % 3 == 0 ? ", " : " ");
            out.append(digits.charAt(i));
        }
        return out.toString();
    }

    /** The first sentence, shouting and emoji-like punctuation toned down, cut to a speakable length. */
    static String firstSentence(String text) {
        if (text == null) return "";
        String t = text.strip().replaceAll("[!?]+", ".").replaceAll("\\s+", " ");
        int end = t.indexOf(". ");
        if (end >= 0) t = t.substring(0, end);
        if (t.endsWith(".")) t = t.substring(0, t.length() - 1);
        if (t.length() > MAX_TEXT) {
            int space = t.lastIndexOf(' ', MAX_TEXT);
            t = t.substring(0, space > 0 ? space : MAX_TEXT);
        }
        return t.strip();
    }
}
