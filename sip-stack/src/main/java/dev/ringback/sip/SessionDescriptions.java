package dev.ringback.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * Builds our SDP (G.711 + telephone-event, ptime 20; RTP/SAVP with an SDES crypto line when the session is SRTP) and
 * negotiates a codec and SRTP keys from the remote SDP (parsed with javax.sdp).
 */
final class SessionDescriptions {
    static final int PCMU = 0;
    static final int PCMA = 8;
    private static final int CLOCK_RATE = 8000;
    /** The crypto tag of our offers. */
    static final int OUR_CRYPTO_TAG = 1;
    private static final java.security.SecureRandom KEYS = new java.security.SecureRandom();

    /** Who decides the codec: the answerer's order counts in an answer; in an offer we choose (PCMU first). */
    enum Choice { FIRST_LISTED_BY_REMOTE, PREFER_PCMU }

    private SessionDescriptions() {
    }

    static String offer(MediaOffer local, long sessionId) {
        return offer(local, sessionId, sessionId, Optional.empty());
    }

    /**
     * Our offer; {@code version} is the o= line's session version, raised whenever the description changes. With
     * {@code srtpKey} the stream is RTP/SAVP and carries that key as crypto tag {@value #OUR_CRYPTO_TAG}.
     */
    static String offer(MediaOffer local, long sessionId, long version, Optional<SdesKey> srtpKey) {
        return header(local, sessionId, version)
                + "m=audio " + local.rtpPort() + " " + profile(srtpKey.isPresent()) + " 0 8 101\r\n"
                + srtpKey.map(key -> crypto(OUR_CRYPTO_TAG, key)).orElse("")
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n"
                + "a=rtcp-mux\r\n"; // RFC 5761: used if the answer carries it too, else RTCP on the odd port
    }

    /** Our answer to a remote offer: the chosen codec and, if the caller offered it, telephone-event with its payload type. */
    static String answer(MediaOffer local, MediaAnswer chosen, long sessionId) {
        return answer(local, chosen, sessionId, sessionId, MediaDirection.SENDRECV);
    }

    /**
     * An answer within a session: {@code direction} is what we do (the offer's direction mirrored). An SRTP session
     * ({@code chosen.srtp()}) answers RTP/SAVP with our key under the offer's crypto tag.
     */
    static String answer(MediaOffer local, MediaAnswer chosen, long sessionId, long version, MediaDirection direction) {
        StringBuilder sdp = new StringBuilder(header(local, sessionId, version));
        sdp.append("m=audio ").append(local.rtpPort()).append(' ').append(profile(chosen.srtp().isPresent())).append(' ').append(chosen.payloadType());
        chosen.telephoneEventPayloadType().ifPresent(pt -> sdp.append(' ').append(pt));
        sdp.append("\r\n");
        chosen.srtp().ifPresent(keys -> sdp.append(crypto(keys.tag(), keys.send())));
        sdp.append("a=rtpmap:").append(chosen.payloadType()).append(' ').append(chosen.encoding()).append('/').append(chosen.clockRate()).append("\r\n");
        chosen.telephoneEventPayloadType().ifPresent(pt -> sdp.append("a=rtpmap:").append(pt).append(" telephone-event/8000\r\n")
                .append("a=fmtp:").append(pt).append(" 0-15\r\n"));
        sdp.append("a=ptime:20\r\na=").append(direction.attribute()).append("\r\n");
        if (chosen.rtcpMux()) {
            sdp.append("a=rtcp-mux\r\n"); // RFC 5761 §5.1.1: only when offered
        }
        return sdp.toString();
    }

    private static String profile(boolean srtp) {
        return srtp ? "RTP/SAVP" : "RTP/AVP";
    }

    private static String crypto(int tag, SdesKey key) {
        return "a=crypto:" + tag + " " + key.suite() + " inline:" + key.inline() + "\r\n";
    }

    private static String header(MediaOffer local, long sessionId, long version) {
        String ipVersion = local.host().contains(":") ? "IP6" : "IP4";
        return "v=0\r\n"
                + "o=ringback " + sessionId + " " + version + " IN " + ipVersion + " " + local.host() + "\r\n"
                + "s=ringback\r\n"
                + "c=IN " + ipVersion + " " + local.host() + "\r\n"
                + "t=0 0\r\n";
    }

    /** Picks G.711 from the remote SDP's first audio stream, plus its telephone-event payload type if any (plain RTP only). */
    static MediaAnswer negotiate(byte[] rawSdp, Choice choice) throws SdpNegotiationException {
        return negotiate(rawSdp, choice, Optional.empty());
    }

    /**
     * Negotiates the remote SDP of a session whose key on our side is {@code ourKey}: with a key the remote stream must
     * be RTP/SAVP with an acceptable crypto line (in an answer: the tag we offered), without one it must be plain RTP.
     */
    static MediaAnswer negotiate(byte[] rawSdp, Choice choice, Optional<SdesKey> ourKey) throws SdpNegotiationException {
        if (rawSdp == null || rawSdp.length == 0) throw new SdpNegotiationException("no SDP body", false);
        try {
            SessionDescription sdp = SdpFactory.getInstance().createSessionDescription(new String(rawSdp, java.nio.charset.StandardCharsets.UTF_8));
            MediaDescription audio = firstAudio(sdp);
            Optional<SdesKeys> srtp = srtpKeys(audio, choice, ourKey);
            int port = audio.getMedia().getMediaPort();
            if (port == 0) throw new SdpNegotiationException("remote rejected the audio stream (port 0)", true);
            Connection connection = audio.getConnection() != null ? audio.getConnection() : sdp.getConnection();
            if (connection == null) throw new SdpNegotiationException("SDP has no c= line", false);

            List<Integer> formats = new ArrayList<>();
            var mediaFormats = audio.getMedia().getMediaFormats(false);
            if (mediaFormats == null) throw new SdpNegotiationException("audio stream lists no formats", true);
            for (Object format : mediaFormats) {
                formats.add(Integer.parseInt(format.toString().trim()));
            }
            List<String[]> rtpmaps = rtpmaps(audio);
            OptionalInt telephoneEvent = OptionalInt.empty();
            List<MediaAnswer> candidates = new ArrayList<>();
            for (int pt : formats) {
                String encoding = encodingOf(pt, rtpmaps);
                if (encoding == null) continue;
                String name = encoding.split("/")[0].toUpperCase(Locale.ROOT);
                if (name.equals("TELEPHONE-EVENT") && telephoneEvent.isEmpty()) telephoneEvent = OptionalInt.of(pt);
                if ((name.equals("PCMU") || name.equals("PCMA")) && encoding.endsWith("/" + CLOCK_RATE)) {
                    candidates.add(new MediaAnswer(connection.getAddress(), port, pt, name, CLOCK_RATE, OptionalInt.empty()));
                }
            }
            if (candidates.isEmpty()) throw new SdpNegotiationException("no common codec in remote formats " + formats, true);
            MediaAnswer chosen = candidates.get(0);
            if (choice == Choice.PREFER_PCMU) {
                chosen = candidates.stream().filter(c -> c.encoding().equals("PCMU")).findFirst().orElse(chosen);
            }
            return new MediaAnswer(chosen.host(), chosen.rtpPort(), chosen.payloadType(), chosen.encoding(), CLOCK_RATE, telephoneEvent, srtp,
                    hasAttribute(audio, "rtcp-mux"));
        } catch (SdpException | RuntimeException e) {
            // javax.sdp answers some odd input with unchecked exceptions (NPE on a bare m= line): all of it is bad SDP
            throw new SdpNegotiationException("malformed SDP: " + e, false);
        }
    }

    /**
     * A remote offer's terms as we take them under {@code mode}: an RTP/SAVP offer gets a fresh key of ours (SRTP is
     * answered whenever offered acceptably), a plain offer is refused when SRTP is required.
     */
    static MediaAnswer negotiateOffer(byte[] rawSdp, SrtpMode mode) throws SdpNegotiationException {
        boolean secure = offersSrtp(rawSdp);
        if (!secure && mode == SrtpMode.REQUIRED) throw new SdpNegotiationException("SRTP is required but the offer is plain RTP", SdpNegotiationException.Kind.SRTP);
        return negotiate(rawSdp, Choice.PREFER_PCMU, secure ? Optional.of(SdesKey.random(KEYS)) : Optional.empty());
    }

    private static boolean hasAttribute(MediaDescription media, String name) throws SdpException {
        var attributes = media.getAttributes(false);
        if (attributes == null) return false;
        for (Object a : attributes) {
            if (name.equalsIgnoreCase(((Attribute) a).getName())) return true;
        }
        return false;
    }

    /** A fresh key for our side of an SRTP offer. */
    static SdesKey newKey() {
        return SdesKey.random(KEYS);
    }

    private static boolean offersSrtp(byte[] rawSdp) throws SdpNegotiationException {
        if (rawSdp == null || rawSdp.length == 0) throw new SdpNegotiationException("no SDP body", false);
        try {
            SessionDescription sdp = SdpFactory.getInstance().createSessionDescription(new String(rawSdp, java.nio.charset.StandardCharsets.UTF_8));
            return isSavp(firstAudio(sdp));
        } catch (SdpException | RuntimeException e) {
            throw new SdpNegotiationException("malformed SDP: " + e, false);
        }
    }

    private static boolean isSavp(MediaDescription audio) throws SdpException {
        String protocol = audio.getMedia().getProtocol();
        return protocol != null && protocol.trim().toUpperCase(Locale.ROOT).startsWith("RTP/SAVP");
    }

    private static Optional<SdesKeys> srtpKeys(MediaDescription audio, Choice choice, Optional<SdesKey> ourKey)
            throws SdpException, SdpNegotiationException {
        boolean secure = isSavp(audio);
        if (ourKey.isEmpty()) {
            if (secure) throw new SdpNegotiationException("remote wants SRTP (" + audio.getMedia().getProtocol() + ") but this session is plain RTP", SdpNegotiationException.Kind.SRTP);
            return Optional.empty();
        }
        if (!secure) throw new SdpNegotiationException("SRTP required but remote stream is " + audio.getMedia().getProtocol(), SdpNegotiationException.Kind.SRTP);
        var attributes = audio.getAttributes(false);
        if (attributes != null) {
            for (Object a : attributes) {
                Attribute attribute = (Attribute) a;
                if (!"crypto".equalsIgnoreCase(attribute.getName()) || attribute.getValue() == null) continue;
                Optional<SdesKeys> keys = acceptable(attribute.getValue(), choice, ourKey.get());
                if (keys.isPresent()) return keys;
            }
        }
        throw new SdpNegotiationException("no acceptable a=crypto line (" + SdesKey.AES_CM_128_HMAC_SHA1_80 + " inline key"
                + (choice == Choice.FIRST_LISTED_BY_REMOTE ? ", tag " + OUR_CRYPTO_TAG : "") + ")", SdpNegotiationException.Kind.SRTP);
    }

    /** One {@code a=crypto} value ("1 AES_CM_128_HMAC_SHA1_80 inline:KEY[|lifetime]"), if we can use it. */
    private static Optional<SdesKeys> acceptable(String value, Choice choice, SdesKey ourKey) {
        String[] parts = value.trim().split("\\s+");
        // session parameters (UNENCRYPTED_SRTP, KDR, …) change the transform: not ours to honour
        if (parts.length != 3 || !parts[1].equals(SdesKey.AES_CM_128_HMAC_SHA1_80) || !parts[2].startsWith("inline:")) return Optional.empty();
        try {
            int tag = Integer.parseInt(parts[0]);
            if (choice == Choice.FIRST_LISTED_BY_REMOTE && tag != OUR_CRYPTO_TAG) return Optional.empty(); // an answer names our offer's tag
            SdesKey theirs = SdesKey.fromInline(parts[1], parts[2].substring("inline:".length()));
            return Optional.of(new SdesKeys(ourKey, theirs, tag));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The direction the writer of {@code rawSdp} declares for its first audio stream: the media-level attribute, else the
     * session-level one, else sendrecv. A connection address of 0.0.0.0 (RFC 2543 hold) means it receives nothing.
     */
    static MediaDirection direction(byte[] rawSdp) throws SdpNegotiationException {
        if (rawSdp == null || rawSdp.length == 0) throw new SdpNegotiationException("no SDP body", false);
        try {
            SessionDescription sdp = SdpFactory.getInstance().createSessionDescription(new String(rawSdp, java.nio.charset.StandardCharsets.UTF_8));
            MediaDescription audio = firstAudio(sdp);
            MediaDirection declared = directionAttribute(audio.getAttributes(false));
            if (declared == null) declared = directionAttribute(sdp.getAttributes(false));
            if (declared == null) declared = MediaDirection.SENDRECV;
            Connection connection = audio.getConnection() != null ? audio.getConnection() : sdp.getConnection();
            boolean nullAddress = connection != null && ("0.0.0.0".equals(connection.getAddress()) || "::".equals(connection.getAddress()));
            return nullAddress ? MediaDirection.of(declared.sends(), false) : declared;
        } catch (SdpException | RuntimeException e) {
            throw new SdpNegotiationException("malformed SDP: " + e, false);
        }
    }

    private static MediaDirection directionAttribute(java.util.Vector<?> attributes) throws SdpException {
        if (attributes == null) return null;
        for (Object a : attributes) {
            String name = ((Attribute) a).getName();
            for (MediaDirection direction : MediaDirection.values()) {
                if (direction.attribute().equalsIgnoreCase(name)) return direction;
            }
        }
        return null;
    }

    private static MediaDescription firstAudio(SessionDescription sdp) throws SdpException, SdpNegotiationException {
        var descriptions = sdp.getMediaDescriptions(false);
        if (descriptions != null) {
            for (Object d : descriptions) {
                MediaDescription md = (MediaDescription) d;
                if ("audio".equalsIgnoreCase(md.getMedia().getMediaType())) return md;
            }
        }
        throw new SdpNegotiationException("SDP has no audio stream", true);
    }

    /** rtpmap attributes as {payloadType, "ENCODING/rate"}. */
    private static List<String[]> rtpmaps(MediaDescription audio) throws SdpException {
        List<String[]> maps = new ArrayList<>();
        var attributes = audio.getAttributes(false);
        if (attributes == null) return maps;
        for (Object a : attributes) {
            Attribute attribute = (Attribute) a;
            if (!"rtpmap".equalsIgnoreCase(attribute.getName()) || attribute.getValue() == null) continue;
            String[] parts = attribute.getValue().trim().split("\\s+", 2);
            if (parts.length == 2) maps.add(new String[] {parts[0], parts[1].trim()});
        }
        return maps;
    }

    /** "PCMU/8000" style name of a payload type: its rtpmap, else the static RFC 3551 assignment. */
    private static String encodingOf(int pt, List<String[]> rtpmaps) {
        for (String[] map : rtpmaps) {
            if (map[0].equals(Integer.toString(pt))) {
                String[] parts = map[1].split("/");
                return parts.length >= 2 ? parts[0] + "/" + parts[1] : null;
            }
        }
        if (pt == PCMU) return "PCMU/8000";
        if (pt == PCMA) return "PCMA/8000";
        return null;
    }
}
