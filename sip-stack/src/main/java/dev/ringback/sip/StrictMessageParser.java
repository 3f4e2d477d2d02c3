package dev.ringback.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JAIN-SIP's parser, refusing requests whose identity it would otherwise guess: JAIN-SIP keeps the first of two
 * Call-ID, CSeq, From, To, Max-Forwards or Content-Type headers and the last of two Content-Lengths without a word
 * (RFC 4475 multi01, mcl01), and reads an unquoted display name with a comma in From or To as one name (baddn), where a
 * comma separates header values. Such a request fails to parse, so the stack answers it 400 (over UDP) or drops it.
 * Responses are left as JAIN-SIP reads them. Instantiated by the stack by class name
 * (property gov.nist.javax.sip.MESSAGE_PARSER_FACTORY); it keeps no state, so one instance serves every channel.
 */
public final class StrictMessageParser extends StringMsgParser implements MessageParserFactory {
    /** Headers a request carries at most once, by full and compact name. */
    private static final Map<String, String> SINGLE_VALUED = Map.ofEntries(
            Map.entry("call-id", "Call-ID"), Map.entry("i", "Call-ID"),
            Map.entry("cseq", "CSeq"),
            Map.entry("from", "From"), Map.entry("f", "From"),
            Map.entry("to", "To"), Map.entry("t", "To"),
            Map.entry("max-forwards", "Max-Forwards"),
            Map.entry("content-length", "Content-Length"), Map.entry("l", "Content-Length"),
            Map.entry("content-type", "Content-Type"), Map.entry("c", "Content-Type"));

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return this;
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] message, boolean readBody, boolean strict, ParseExceptionListener listener) throws ParseException {
        SIPMessage parsed = super.parseSIPMessage(message, readBody, strict, listener);
        if (parsed instanceof SIPRequest) checkHeaders(message);
        return parsed;
    }

    /** @throws ParseException for a single-valued header given twice, or From/To with an unquoted comma in the name */
    static void checkHeaders(byte[] message) throws ParseException {
        Set<String> seen = new HashSet<>();
        for (String header : headerLines(new String(message, StandardCharsets.ISO_8859_1))) {
            int colon = header.indexOf(':');
            if (colon <= 0) continue; // the parser has judged the line already
            String name = SINGLE_VALUED.get(header.substring(0, colon).trim().toLowerCase(Locale.ROOT));
            if (name == null) continue;
            if (!seen.add(name)) throw new ParseException("more than one " + name + " header", 0);
            if ((name.equals("From") || name.equals("To")) && unquotedDisplayNameHasComma(header.substring(colon + 1))) {
                throw new ParseException("unquoted display name with a comma in " + name, 0);
            }
        }
    }

    private static boolean unquotedDisplayNameHasComma(String value) {
        String text = value.trim();
        int bracket = text.indexOf('<');
        return bracket > 0 && !text.startsWith("\"") && text.substring(0, bracket).indexOf(',') >= 0;
    }

    /** The header lines between the start line and the blank line, continuation lines joined to theirs. */
    private static Iterable<String> headerLines(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) end = text.indexOf("\n\n");
        String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r?\n");
        java.util.List<String> headers = new java.util.ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (continuation && !headers.isEmpty()) {
                headers.set(headers.size() - 1, headers.get(headers.size() - 1) + " " + line.trim());
            } else {
                headers.add(line);
            }
        }
        return headers;
    }
}
