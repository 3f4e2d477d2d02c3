package dev.ringback.sip;

import java.time.Instant;

/**
 * What the OPTIONS keep-alive last learned about one trunk host.
 *
 * @param up         answered the last probe with anything but 503 (a host never probed counts as up)
 * @param lastStatus status of the last answer, 0 for none (timeout or not probed yet)
 * @param since      when {@code up} last changed (or the agent started)
 */
public record TrunkStatus(TrunkHost host, boolean up, int lastStatus, Instant since) {
}
