/**
 * What every media stage shares: its {@link dev.ringback.media.stage.StageCounters} (packets in and out, drops by
 * {@link dev.ringback.media.stage.DropReason}, sampled time) and their snapshot
 * {@link dev.ringback.media.stage.StageStats}, which a session's stats list stage by stage, so a drop on the wire
 * can be traced to the stage and the reason.
 */
package dev.ringback.media.stage;
