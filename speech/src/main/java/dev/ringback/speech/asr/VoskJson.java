package dev.ringback.speech.asr;

/**
 * Reads one string field from Vosk's small result objects such as {@code {"text" : "yes please"}}
 * (the module carries no JSON library, and these objects are flat).
 */
final class VoskJson {

    private VoskJson() {
    }

    /** The field's string value, unescaped; "" when the field is absent. */
    static String stringField(String json, String field) {
        if (json == null) {
            return "";
        }
        String key = '"' + field + '"';
        int at = json.indexOf(key);
        if (at < 0) {
            return "";
        }
        int colon = json.indexOf(':', at + key.length());
        int open = colon < 0 ? -1 : json.indexOf('"', colon + 1);
        if (open < 0) {
            return "";
        }
        StringBuilder value = new StringBuilder();
        for (int i = open + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\' && i + 1 < json.length()) {
                char next = json.charAt(++i);
                if (next == 'u' && i + 4 < json.length()) {
                    value.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    value.append(switch (next) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> next;
                    });
                }
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }
}
