package dev.mim4j.models.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A name map written as rules: a template of the encoder's names and the checkpoint's name (or names, one
 * per part, for a tensor the checkpoint splits along its first dimension) it stands for. The first rule that
 * matches decides. Names no rule matches are the same on both sides in an open map, and not the encoder's in
 * a closed one; a name that a rule lists as not in the checkpoint (no checkpoint names) is the encoder's own
 * business, a buffer it computes.
 */
final class RenameRules implements NameMap {

    private record Rule(NameTemplate ours, List<NameTemplate> theirs) {
    }

    private final List<Rule> rules;
    private final boolean closed;

    private RenameRules(List<Rule> rules, boolean closed) {
        this.rules = List.copyOf(rules);
        this.closed = closed;
    }

    /** Rules to add; {@code closed}: a name no rule matches is not the encoder's. */
    static Builder builder(boolean closed) {
        return new Builder(closed);
    }

    static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private final boolean closed;

        private Builder(boolean closed) {
            this.closed = closed;
        }

        /** The encoder's names of template {@code ours} are the checkpoint's {@code theirs}, one per part. */
        Builder rule(String ours, String... theirs) {
            rules.add(new Rule(new NameTemplate(ours), List.of(theirs).stream().map(NameTemplate::new).toList()));
            return this;
        }

        RenameRules build() {
            return new RenameRules(rules, closed);
        }
    }

    @Override
    public List<String> fromEncoder(String ours) {
        for (Rule rule : rules) {
            Optional<Map<String, String>> values = rule.ours().match(ours);
            if (values.isPresent()) {
                return rule.theirs().stream().map(t -> t.fill(values.get())).toList();
            }
        }
        return closed ? List.of() : List.of(ours);
    }

    @Override
    public Optional<Slot> toEncoder(String theirs) {
        for (Rule rule : rules) {
            for (int part = 0; part < rule.theirs().size(); part++) {
                Optional<Map<String, String>> values = rule.theirs().get(part).match(theirs);
                if (values.isPresent()) {
                    return Optional.of(new Slot(rule.ours().fill(values.get()), part, rule.theirs().size()));
                }
            }
        }
        if (closed) {
            return Optional.empty();
        }
        // under its own name only when no rule gives that name another one
        return fromEncoder(theirs).equals(List.of(theirs)) ? Optional.of(Slot.whole(theirs)) : Optional.empty();
    }
}
