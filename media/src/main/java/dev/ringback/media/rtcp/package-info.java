/** RTCP (RFC 3550 §6): the compound packets a session sends and parses, and the reporter that does both. */
package dev.ringback.media.rtcp;
