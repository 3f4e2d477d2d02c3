package dev.ringback.server.sms;

import java.util.regex.Pattern;

/** ITU-T E.164 numbers as carried in webhooks: '+', country code, subscriber number, 8-15 digits. */
public final class E164 {
    private static final Pattern FORMAT = Pattern.compile("\\+[1-9][0-9]{7,14}");

    private E164() {}

    public static boolean isValid(String number) {
        return number != null && FORMAT.matcher(number).matches();
    }
}
