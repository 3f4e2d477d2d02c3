package dev.ringback.sip;

import java.util.Locale;
import javax.sip.header.Header;

/** A parsed RFC 4028 Session-Expires header ("1800;refresher=uac"); JAIN-SIP may hand it over typed or generic. */
record SessionExpires(long seconds, String refresher) {
    static final String NAME = "Session-Expires";

    /** Null when there is no header or no positive interval in it. */
    static SessionExpires of(Header header) {
        if (header == null) return null;
        String text = header.toString().trim();
        int colon = text.indexOf(':');
        if (colon >= 0) text = text.substring(colon + 1).trim();
        String[] parts = text.split(";");
        try {
            long seconds = Long.parseLong(parts[0].trim());
            if (seconds <= 0) return null;
            String refresher = null;
            for (int i = 1; i < parts.length; i++) {
                String[] param = parts[i].trim().split("=", 2);
                if (param.length == 2 && param[0].trim().equalsIgnoreCase("refresher")) refresher = param[1].trim().toLowerCase(Locale.ROOT);
            }
            return new SessionExpires(seconds, refresher);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
