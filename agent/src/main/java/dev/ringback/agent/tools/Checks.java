package dev.ringback.agent.tools;

import dev.ringback.agent.tools.ToolArgumentException.Problem;

import java.util.Objects;

/** Shared argument checks for the tool records. */
final class Checks {
    private Checks() {}

    static final String JOB_ID = "J-[0-9]{1,9}";
    static final String E164 = "\\+[1-9][0-9]{6,14}";

    static String text(String tool, String field, String value, int maxLength) {
        if (value == null || value.isBlank()) throw new ToolArgumentException(tool, Problem.MISSING, field);
        String trimmed = value.strip();
        if (trimmed.length() > maxLength) throw new ToolArgumentException(tool, Problem.TOO_LONG, field + " longer than " + maxLength);
        return trimmed;
    }

    static String matching(String tool, String field, String value, String pattern) {
        if (value == null) throw new ToolArgumentException(tool, Problem.MISSING, field);
        if (!value.matches(pattern)) throw new ToolArgumentException(tool, Problem.BAD_FORMAT, field + " '" + value + "'");
        return value;
    }

    static <T> T present(String tool, String field, T value) {
        if (Objects.isNull(value)) throw new ToolArgumentException(tool, Problem.MISSING, field);
        return value;
    }
}
