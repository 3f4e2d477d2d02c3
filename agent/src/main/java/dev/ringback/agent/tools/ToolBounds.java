package dev.ringback.agent.tools;

import dev.ringback.agent.business.ArrivalWindow;
import dev.ringback.agent.business.CustomerJob;
import dev.ringback.agent.business.OnCallPerson;
import dev.ringback.agent.store.StoreSql;
import dev.ringback.agent.tools.ToolArgumentException.Problem;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** The bounds that need the business and the store: horizon, opening days, windows, job ownership, this customer only. */
final class ToolBounds {
    private final ToolContext context;

    ToolBounds(ToolContext context) {
        this.context = context;
    }

    void check(Connection c, ToolCall call) throws SQLException {
        String tool = call.tool();
        // Java 17: no pattern switch yet, so an instanceof chain over the sealed family
        if (call instanceof LookupCustomerHistory l) {
            thisCustomer(tool, l.customerPhone());
        } else if (call instanceof CreateJob j) {
            thisCustomer(tool, j.customerPhone());
            if (context.business().service(j.service()).isEmpty()) throw new ToolArgumentException(tool, Problem.UNKNOWN_SERVICE, j.service());
        } else if (call instanceof BookJobTime b) {
            CustomerJob job = ownJob(c, tool, b.jobId());
            if (job.isBooked()) throw new ToolArgumentException(tool, Problem.JOB_ALREADY_BOOKED, b.jobId());
            if (job.status() != CustomerJob.Status.OPEN) throw new ToolArgumentException(tool, Problem.JOB_CLOSED, b.jobId());
            bookable(tool, b.date(), b.window());
        } else if (call instanceof RescheduleJobTime r) {
            CustomerJob job = ownJob(c, tool, r.jobId());
            if (!job.isBooked()) throw new ToolArgumentException(tool, Problem.JOB_NOT_BOOKED, r.jobId());
            bookable(tool, r.date(), r.window());
        } else if (call instanceof CancelJobBooking x) {
            CustomerJob job = ownJob(c, tool, x.jobId());
            if (job.status() == CustomerJob.Status.DONE || job.status() == CustomerJob.Status.CANCELLED) {
                throw new ToolArgumentException(tool, Problem.JOB_CLOSED, x.jobId());
            }
        } else if (call instanceof SuggestAlternativeTimes s) {
            inHorizon(tool, s.around());
        } else if (call instanceof CreateMessageForOwner m) {
            thisCustomer(tool, m.customerPhone());
        } else if (call instanceof ScheduleCallback s) {
            thisCustomer(tool, s.customerPhone());
            if (!s.at().isAfter(context.now())) throw new ToolArgumentException(tool, Problem.DATE_IN_PAST, s.at().toString());
            inHorizon(tool, s.at().toLocalDate());
        } else if (call instanceof TransferToOncall t) {
            thisCustomer(tool, t.customerPhone());
            List<OnCallPerson> roster = StoreSql.onCallRoster(c);
            if (roster.isEmpty() && context.business().onCall().isEmpty()) throw new ToolArgumentException(tool, Problem.NO_ONE_ON_CALL, "roster is empty");
        }
    }

    private void thisCustomer(String tool, String phone) {
        if (!phone.equals(context.customerPhone())) throw new ToolArgumentException(tool, Problem.NOT_THIS_CUSTOMER, phone);
    }

    private CustomerJob ownJob(Connection c, String tool, String jobId) throws SQLException {
        Optional<CustomerJob> job = StoreSql.jobs(c, context.customerPhone()).stream().filter(j -> j.id().equals(jobId)).findFirst();
        // a job of another customer looks exactly like an unknown one: the caller learns nothing about it
        return job.orElseThrow(() -> new ToolArgumentException(tool, Problem.UNKNOWN_JOB, jobId));
    }

    private void bookable(String tool, LocalDate date, ArrivalWindow window) {
        inHorizon(tool, date);
        List<ArrivalWindow> windows = context.business().windowsOn(date);
        if (windows.isEmpty()) throw new ToolArgumentException(tool, Problem.CLOSED_THAT_DAY, date.getDayOfWeek().toString());
        if (!windows.contains(window)) throw new ToolArgumentException(tool, Problem.UNKNOWN_WINDOW, window.toString());
        if (!context.business().stillBookable(date, window, context.now())) {
            throw new ToolArgumentException(tool, Problem.DATE_IN_PAST, date + " " + window);
        }
    }

    private void inHorizon(String tool, LocalDate date) {
        LocalDate today = context.now().toLocalDate();
        if (date.isBefore(today)) throw new ToolArgumentException(tool, Problem.DATE_IN_PAST, date.toString());
        if (date.isAfter(today.plusDays(context.business().horizonDays()))) {
            throw new ToolArgumentException(tool, Problem.BEYOND_HORIZON, date + " is more than " + context.business().horizonDays() + " days ahead");
        }
    }
}
