package dev.ringback.agent.language;

import dev.ringback.agent.business.BusinessProfile;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Understands one customer turn without a model: patterns over normalised text (so recogniser output without
 * case or punctuation reads the same as typed text), plus the catalogue and the time parser.
 */
public final class UtteranceParser {
    /** A refusal even when it starts with "yeah" ("yeah nah, that doesn't work"). */
    private static final String NEGATIVE_PHRASES = "\\b(yeah nah|yea nah|that doesnt work|doesnt work|doesnt suit|wont work|cant do that|not that one|i cant make|cant make it|dont do that|no thanks|no thank you|not really|rather not|id rather not|not then|not that time|not that day|neither)\\b";
    private static final Pattern NEGATIVE = Pattern.compile(NEGATIVE_PHRASES);

    private static final Map<Signal, Pattern> PATTERNS = Map.ofEntries(
            Map.entry(Signal.YES, p("^(yes|yeah|yep|yup|ya|yea|yah|sure|okay|alright|all right|right|correct|absolutely|definitely|perfect|great|lovely|awesome|excellent|sweet|good|fine|please)\\b"
                    + "|\\b(yes|yeah|yep|yup|yes please|sounds good|sounds great|sounds perfect|that works|works for me|that suits|suits me|that would be great|would be good|would be great|thatd be great|thatd be good|that is fine|thats fine|is fine|thats good|thats great|thats perfect|go ahead|please do|do that|book it|lets do that|lets do it|of course|thatll do|that will do|perfect|lovely)\\b|\\bworks( for me| fine| great| well)?$")),
            Map.entry(Signal.NO, p("^(no|nope|nah|not really|no thanks|no thank you)\\b|" + NEGATIVE_PHRASES)),
            Map.entry(Signal.DONE, p("\\b(thats it|that is it|thats all|that is all|thats everything|that is everything|nothing else|all good|im good|i am good|thatll be all|bye|goodbye|good bye|all sorted|thats me|no more|im done|that was all|thats all i needed|no thanks|no thank you|i think thats it)\\b")),
            Map.entry(Signal.THANKS, p("\\b(thanks|thank you|cheers|ta)\\b")),
            Map.entry(Signal.BOOK, p("\\b(come out|come over|come round|come around|come by|come and|come today|come tomorrow|come on|someone come|somebody come|send someone|send somebody|get someone out|get somebody out|book|booked in|appointment|visit|available|availability|when can you|can you come|have a look|take a look|pop out|pop round|pop over|get it fixed|fix it|need a plumber|someone out|somebody out|get someone round|come fix|come and fix)\\b")),
            Map.entry(Signal.RESCHEDULE, p("\\b(move|moving|reschedule|change (the|my|it|that)|change to|different (day|time)|another (day|time)|push it|push back|postpone|bring it forward|rebook|instead)\\b")),
            Map.entry(Signal.CANCEL, p("\\b(cancel|cancelled|canceled|cancelling|call off|call it off|dont need (it|them|him|someone|anyone|the)|do not need (it|them|the)|no longer need|not needed anymore|scrap (it|that|the))\\b")),
            Map.entry(Signal.PRICE, p("\\b(how much|cost|costs|costing|price|prices|pricing|quote|ballpark|rough idea|roughly|estimate|charge|charges|fee|fees|rates|hourly|expensive|cheap|call out fee|callout fee|call out charge|what do you charge|money)\\b")),
            Map.entry(Signal.MESSAGE, p("\\b(message|pass (it|this|that) on|pass on|let (him|her|them|the owner|the boss|the team|someone) know|tell (him|her|them|the owner|the boss|the team)|invoice|receipt|bill|paperwork|warranty|complaint|complain|landlord|insurance)\\b")),
            Map.entry(Signal.OWNER_CALLBACK, p("\\b(call me back|ring me back|call back|get back to me|get someone to call|have someone call|someone (to )?call me|give me a call back|call me)\\b")),
            Map.entry(Signal.CALL_LATER, p("\\b(call me (back )?(later|at|in|tomorrow|after|this|tonight|around|about|on)|ring me (back )?(later|at|in|tomorrow|after|this|around|about|on)|call (me )?back (later|at|in|tomorrow|after|this|around|about|on)|try (me )?(again )?later|another time|later on)\\b")),
            Map.entry(Signal.BUSY, p("\\b(in a meeting|into a meeting|driving|busy|at work right now|cant talk|can not talk|not a good time|bad time|cant really talk|on the other line|with a customer)\\b")),
            Map.entry(Signal.EMERGENCY, p("\\b(emergency|urgent|urgently|flood|flooding|flooded|pouring|gushing|spraying|water everywhere|burst|bursting|smell gas|smells like gas|gas leak|leaking gas|sewage)\\b")),
            Map.entry(Signal.NOT_URGENT, p("\\b(no rush|no hurry|not urgent|not an emergency|not a emergency|isnt urgent|its not urgent|whenever suits|not in a hurry|its stopped|stopped now|turned it off|turned the water off|under control)\\b")),
            Map.entry(Signal.TRANSFER_REQUEST, p("\\b(put me through|transfer me|connect me|put me on to|(speak|talk) (to|with) (the )?on call|(speak|talk) (to|with) (a|the) plumber|someone now|get me (someone|a plumber)|(speak|talk) (to|with) (the owner|someone|a person|a human|a real person|the boss|a manager|somebody))\\b")),
            Map.entry(Signal.HUMAN_QUESTION, p("\\b(am i (talking|speaking) (to|with) (a|an) (real )?(person|human|robot|machine|computer|bot|ai)|is this (a|an) (real )?(person|human|robot|machine|computer|bot|recording|ai)|are you (a|an) (real )?(person|human|robot|bot|machine|computer|ai)|are you real|are you human|is this automated|is this a real person|(real|actual) (person|human)|a human|a robot|is this ai|who is this|whos this|who are you|whos calling|who is calling|what is this about|whats this about|why are you calling)\\b")),
            Map.entry(Signal.REPEAT, p("\\b(sorry what|pardon|say that again|repeat that|didnt catch|did not catch|what was that|come again|say again)\\b|^what$")),
            Map.entry(Signal.HOLD, p("\\b(hang on|hold on|one sec|one second|one moment|just a sec|just a second|give me a sec|give me a second|bear with me)\\b")),
            Map.entry(Signal.FLEXIBLE, p("\\b(anytime|whenever|any day|doesnt matter|dont mind|either|earliest|soonest|whatever suits|whatever works|this week|sometime this week|later this week|as soon as you can|soon as you can)\\b")));

    /** Phrases that contain "no" without being an answer. */
    private static final Pattern NOT_A_NO = p("\\bno (worries|problem|problems|rush|hurry|dramas|stress)\\b");

    private final ServiceMatcher services;
    private final WhenParser when;

    public UtteranceParser(BusinessProfile business, LocalDateTime now) {
        this.services = new ServiceMatcher(business.services());
        this.when = new WhenParser(now);
    }

    public Utterance parse(String heard) {
        String normalized = Normalizer.normalize(heard);
        List<ServiceMatcher.Hit> hits = services.find(normalized);
        // answers are read with the catalogue words blanked out, so "no hot water" is not a "no"
        StringBuilder answers = new StringBuilder(normalized);
        for (int i = hits.size() - 1; i >= 0; i--) {
            ServiceMatcher.Hit h = hits.get(i);
            answers.replace(h.start(), h.end(), "service");
        }
        String answerText = NOT_A_NO.matcher(answers.toString()).replaceAll("fine");
        Set<Signal> signals = EnumSet.noneOf(Signal.class);
        for (Map.Entry<Signal, Pattern> e : PATTERNS.entrySet()) {
            String text = e.getKey() == Signal.YES || e.getKey() == Signal.NO ? answerText : normalized;
            if (e.getValue().matcher(text).find()) signals.add(e.getKey());
        }
        for (ServiceMatcher.Hit h : hits) if (h.service().emergency()) signals.add(Signal.EMERGENCY);
        if (signals.contains(Signal.NOT_URGENT)) signals.remove(Signal.EMERGENCY);
        if (signals.contains(Signal.CALL_LATER)) signals.remove(Signal.OWNER_CALLBACK);
        boolean refusal = answerText.matches("^(no|nope|nah)\\b.*") || NEGATIVE.matcher(answerText).find();
        if (signals.contains(Signal.NO) && signals.contains(Signal.YES) && refusal) signals.remove(Signal.YES);
        List<String> ids = hits.stream().map(h -> h.service().id()).distinct().toList();
        List<String> urgent = new ArrayList<>();
        if (signals.contains(Signal.EMERGENCY)) {
            Matcher m = PATTERNS.get(Signal.EMERGENCY).matcher(normalized);
            while (m.find()) urgent.add(m.group());
            for (ServiceMatcher.Hit h : hits) if (h.service().emergency() && !urgent.contains(h.synonym())) urgent.add(h.synonym());
        }
        Optional<TimeRefusal.Found> ruledOut = TimeRefusal.find(normalized);
        When refused = ruledOut.map(r -> when.parse(r.timeWords())).orElse(When.NONE);
        When wanted = when.parse(refused.isEmpty() ? normalized : ruledOut.get().rest());
        return new Utterance(normalized, signals, wanted, refused, ids, urgent);
    }

    private static Pattern p(String regex) {
        return Pattern.compile(regex);
    }
}
