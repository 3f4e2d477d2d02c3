package dev.ringback.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seeded mutator of SIP messages for fuzzing: byte flips, header deletion and duplication, truncation, huge values,
 * CRLF injection, line folding, extreme numbers, method swaps and body garbage. The same seed gives the same sequence.
 * The top Via's sent-by is never mutated: it is where the agent sends its answers, and on a shared machine a flipped
 * port digit would aim them at someone else's process.
 */
final class SipMutator {
    private static final Pattern TOP_VIA = Pattern.compile("(?im)^(?:Via|v)[ \\t]*:[^\\r\\n]*");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final String[] EXTREMES = {"-1", "0", "4294967296", "2147483648", "99999999999999999999999", "1e9", "00000000000000000001"};
    private static final String[] METHODS = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY",
            "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE", "I\u00d1VITE", "", "INVITE INVITE", "SIP/2.0"};
    private static final String[] INJECTIONS = {"\r\n", "\r\n\r\n", "\n", "\r", "\r\nContent-Length: 99999\r\n",
            "\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKinjected\r\n", "\r\nCall-ID: injected\r\n", "\0", "\r\n\r\nINVITE sip:x@y SIP/2.0\r\n"};
    private static final String SPECIALS = "\r\n:; <>\"\0\u00ff,=@";
    /** Stays under a UDP datagram's 65,507 bytes with the rest of the message. */
    private static final int MAX_HUGE = 50_000;

    private final Random random;

    SipMutator(long seed) {
        this.random = new Random(seed);
    }

    /** One to three mutations of {@code message} (ISO-8859-1 text, so every byte survives). */
    String mutate(String message) {
        String text = message;
        int rounds = 1 + random.nextInt(3);
        for (int i = 0; i < rounds; i++) text = mutateOnce(text);
        return text;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private String mutateOnce(String text) {
        return switch (random.nextInt(10)) {
            case 0 -> flipBytes(text);
            case 1 -> deleteHeader(text);
            case 2 -> duplicateHeader(text);
            case 3 -> truncate(text);
            case 4 -> hugeValue(text);
            case 5 -> insert(text, INJECTIONS[random.nextInt(INJECTIONS.length)]);
            case 6 -> insert(text, "\r\n" + " ".repeat(1 + random.nextInt(3))); // line folding
            case 7 -> extremeNumber(text);
            case 8 -> swapMethod(text);
            default -> garbageBody(text);
        };
    }

    /** Where mutations may not touch: the top Via line. */
    private int[] protectedRange(String text) {
        Matcher via = TOP_VIA.matcher(text);
        return via.find() ? new int[] {via.start(), via.end()} : new int[] {-1, -1};
    }

    private int freePosition(String text) {
        int[] guard = protectedRange(text);
        for (int attempt = 0; attempt < 20; attempt++) {
            int position = random.nextInt(text.length() + 1);
            if (position <= guard[0] || position > guard[1]) return position;
        }
        return text.length();
    }

    private String flipBytes(String text) {
        if (text.isEmpty()) return text;
        char[] chars = text.toCharArray();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
            int position = freePosition(text);
            if (position >= chars.length) continue;
            chars[position] = switch (random.nextInt(4)) {
                case 0 -> (char) random.nextInt(256);
                case 1 -> (char) (chars[position] ^ (1 << random.nextInt(8)) & 0xFF);
                case 2 -> SPECIALS.charAt(random.nextInt(SPECIALS.length()));
                default -> (char) ('0' + random.nextInt(10));
            };
        }
        return new String(chars);
    }

    private List<int[]> headerLines(String text) {
        List<int[]> lines = new ArrayList<>();
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) end = text.length();
        int start = text.indexOf("\r\n");
        while (start >= 0 && start < end) {
            int next = text.indexOf("\r\n", start + 2);
            if (next < 0 || next > end) next = end;
            lines.add(new int[] {start + 2, next});
            start = next == end ? -1 : next;
        }
        return lines;
    }

    private String deleteHeader(String text) {
        List<int[]> lines = headerLines(text);
        if (lines.isEmpty()) return text;
        int[] line = lines.get(random.nextInt(lines.size()));
        return text.substring(0, line[0]) + text.substring(Math.min(text.length(), line[1] + 2));
    }

    private String duplicateHeader(String text) {
        List<int[]> lines = headerLines(text);
        if (lines.isEmpty()) return text;
        int[] line = lines.get(random.nextInt(lines.size()));
        String header = text.substring(line[0], line[1]);
        if (TOP_VIA.matcher(header).matches()) header = header.replaceFirst("branch=", "branch=dup"); // a second Via, never a changed first
        int copies = 1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 3);
        return text.substring(0, line[1]) + ("\r\n" + header).repeat(copies) + text.substring(line[1]);
    }

    private String truncate(String text) {
        int[] guard = protectedRange(text);
        int from = Math.max(guard[1], 0);
        if (from >= text.length()) return text;
        return text.substring(0, from + random.nextInt(text.length() - from));
    }

    private String hugeValue(String text) {
        String huge = "x".repeat(1 + random.nextInt(random.nextBoolean() ? 300 : MAX_HUGE));
        List<int[]> lines = headerLines(text);
        if (lines.isEmpty() || random.nextBoolean()) {
            int end = text.indexOf("\r\n");
            return end < 0 ? text + huge : text.substring(0, end) + "\r\nSubject: " + huge + text.substring(end);
        }
        int[] line = lines.get(random.nextInt(lines.size()));
        String header = text.substring(line[0], line[1]);
        if (TOP_VIA.matcher(header).matches()) return text.substring(0, line[1]) + ";x=" + huge + text.substring(line[1]);
        return text.substring(0, line[1]) + huge + text.substring(line[1]);
    }

    private String insert(String text, String what) {
        int position = freePosition(text);
        return text.substring(0, position) + what + text.substring(position);
    }

    private String extremeNumber(String text) {
        int[] guard = protectedRange(text);
        List<int[]> numbers = new ArrayList<>();
        Matcher matcher = NUMBER.matcher(text);
        while (matcher.find()) {
            if (matcher.end() <= guard[0] || matcher.start() >= guard[1]) numbers.add(new int[] {matcher.start(), matcher.end()});
        }
        if (numbers.isEmpty()) return text;
        int[] number = numbers.get(random.nextInt(numbers.size()));
        return text.substring(0, number[0]) + EXTREMES[random.nextInt(EXTREMES.length)] + text.substring(number[1]);
    }

    private String swapMethod(String text) {
        int space = text.indexOf(' ');
        if (space < 0 || text.startsWith("SIP/")) return text;
        String method = METHODS[random.nextInt(METHODS.length)];
        String swapped = method + text.substring(space);
        // the CSeq method usually follows, so the mismatch rule (RFC 4475 mismatch01) gets exercised half the time
        return random.nextBoolean() ? swapped : swapped.replaceFirst("(?im)^(CSeq:\\s*\\d+\\s+)\\S+", "$1" + Matcher.quoteReplacement(method.isEmpty() ? "X" : method));
    }

    private String garbageBody(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return text;
        byte[] body = new byte[random.nextInt(2000)];
        random.nextBytes(body);
        return text.substring(0, end + 4) + new String(body, StandardCharsets.ISO_8859_1);
    }
}
