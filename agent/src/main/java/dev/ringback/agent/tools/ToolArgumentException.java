package dev.ringback.agent.tools;

/** A tool argument out of bounds; nothing ran. The dialog reads the problem and recovers (asks again, offers another day). */
public final class ToolArgumentException extends RuntimeException {
    public enum Problem {
        MISSING, TOO_LONG, BAD_FORMAT, NOT_THIS_CUSTOMER, UNKNOWN_SERVICE, UNKNOWN_JOB, JOB_NOT_BOOKED, JOB_ALREADY_BOOKED,
        JOB_CLOSED, DATE_IN_PAST, BEYOND_HORIZON, CLOSED_THAT_DAY, UNKNOWN_WINDOW, NO_ONE_ON_CALL
    }

    private final String tool;
    private final Problem problem;

    public ToolArgumentException(String tool, Problem problem, String detail) {
        super(tool + ": " + problem + ": " + detail);
        this.tool = tool;
        this.problem = problem;
    }

    public String tool() {
        return tool;
    }

    public Problem problem() {
        return problem;
    }
}
