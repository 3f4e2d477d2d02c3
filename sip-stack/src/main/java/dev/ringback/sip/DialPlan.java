package dev.ringback.sip;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How one trunk wants a called number written: the API always takes E.164 ({@code +61412000111}); the Request-URI
 * and To user carry {@link #dialString(String)}. Applied in this order: a number in the home country becomes national
 * ({@code +61412000111} → {@code 0412000111}), any other gets the international prefix or keeps/loses its {@code +},
 * then the tech prefix goes in front ({@code 9}, {@code 1#}). A number that is not E.164 (an extension, a SIP user
 * name) is passed through unchanged.
 *
 * @param keepPlus   write E.164 numbers with their leading {@code +} (when no national rule rewrites them)
 * @param techPrefix digits (and {@code *}, {@code #}) the trunk wants in front of every number; may be empty
 * @param national   the trunk wants national format for its own country
 */
public record DialPlan(boolean keepPlus, String techPrefix, Optional<NationalFormat> national) {
    private static final Pattern E164_NUMBER = Pattern.compile("\\+[0-9]{2,15}");
    private static final Pattern PREFIX = Pattern.compile("[0-9*#]{0,8}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]*");
    /** E.164 as given, with the {@code +}: what most SIP trunks accept. (After the patterns: its constructor uses them.) */
    public static final DialPlan E164 = new DialPlan(true, "", Optional.empty());

    public DialPlan {
        Objects.requireNonNull(techPrefix, "techPrefix");
        Objects.requireNonNull(national, "national");
        if (!PREFIX.matcher(techPrefix).matches()) {
            throw new IllegalArgumentException("tech prefix must be up to 8 of 0-9 * #, got '" + techPrefix + "'");
        }
    }

    /**
     * National format for one country.
     *
     * @param countryCode         the home country code without {@code +} ("61")
     * @param trunkPrefix         what replaces {@code +<countryCode>} ("0"; may be empty, as in the NANP)
     * @param internationalPrefix what replaces {@code +} for numbers in other countries ("0011", "00"); empty keeps
     *                            the number as {@link #keepPlus()} says
     */
    public record NationalFormat(String countryCode, String trunkPrefix, String internationalPrefix) {
        public NationalFormat {
            Objects.requireNonNull(countryCode, "countryCode");
            Objects.requireNonNull(trunkPrefix, "trunkPrefix");
            Objects.requireNonNull(internationalPrefix, "internationalPrefix");
            if (!countryCode.matches("[1-9][0-9]{0,2}")) throw new IllegalArgumentException("country code must be 1-3 digits, got '" + countryCode + "'");
            if (trunkPrefix.length() > 2 || !DIGITS.matcher(trunkPrefix).matches()) {
                throw new IllegalArgumentException("national trunk prefix must be up to 2 digits, got '" + trunkPrefix + "'");
            }
            if (internationalPrefix.length() > 4 || !DIGITS.matcher(internationalPrefix).matches()) {
                throw new IllegalArgumentException("international prefix must be up to 4 digits, got '" + internationalPrefix + "'");
            }
        }
    }

    /** E.164 without the {@code +}. */
    public static DialPlan digitsOnly() {
        return new DialPlan(false, "", Optional.empty());
    }

    /** National format for {@code countryCode} ("61" + "0": {@code +61412…} → {@code 0412…}), others as {@code 00…}/{@code 0011…}. */
    public static DialPlan national(String countryCode, String trunkPrefix, String internationalPrefix) {
        return new DialPlan(false, "", Optional.of(new NationalFormat(countryCode, trunkPrefix, internationalPrefix)));
    }

    public DialPlan withTechPrefix(String prefix) {
        return new DialPlan(keepPlus, prefix, national);
    }

    /** What goes into the Request-URI and To user for {@code number}. */
    public String dialString(String number) {
        Objects.requireNonNull(number, "number");
        if (!E164_NUMBER.matcher(number).matches()) return number;
        String digits = number.substring(1);
        String body;
        if (national.isPresent() && digits.startsWith(national.get().countryCode())) {
            body = national.get().trunkPrefix() + digits.substring(national.get().countryCode().length());
        } else if (national.isPresent() && !national.get().internationalPrefix().isEmpty()) {
            body = national.get().internationalPrefix() + digits;
        } else {
            body = keepPlus ? number : digits;
        }
        return techPrefix + body;
    }
}
