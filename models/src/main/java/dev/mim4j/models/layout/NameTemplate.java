package dev.mim4j.models.layout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tensor name with placeholders, read both ways: {@code blocks.{n}.norm1.{p}} matches
 * {@code blocks.3.norm1.weight} (n = 3, p = weight) and fills back. {@code {p}} stands for a word (weight,
 * bias); any other placeholder for a whole number, which may carry an offset ({@code layers.{s+1}.downsample}
 * is stage s's patch merging held by the next stage, as timm holds it).
 */
final class NameTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z])(\\+(\\d+))?}");

    private record Placeholder(String name, int offset) {
    }

    private final String text;
    private final Pattern regex;
    private final List<Placeholder> placeholders = new ArrayList<>();

    NameTemplate(String text) {
        this.text = text;
        StringBuilder pattern = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(text);
        int last = 0;
        while (m.find()) {
            pattern.append(Pattern.quote(text.substring(last, m.start())));
            String name = m.group(1);
            pattern.append(name.equals("p") ? "([A-Za-z_]+)" : "(\\d+)");
            placeholders.add(new Placeholder(name, m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
            last = m.end();
        }
        pattern.append(Pattern.quote(text.substring(last)));
        this.regex = Pattern.compile(pattern.toString());
    }

    /** The placeholders' values in {@code name}, offsets taken off; empty when it does not match. */
    Optional<Map<String, String>> match(String name) {
        Matcher m = regex.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < placeholders.size(); i++) {
            Placeholder holder = placeholders.get(i);
            String value = m.group(i + 1);
            if (holder.offset() != 0) {
                long number = Long.parseLong(value) - holder.offset();
                if (number < 0) {
                    return Optional.empty();
                }
                value = Long.toString(number);
            }
            if (values.containsKey(holder.name()) && !values.get(holder.name()).equals(value)) {
                return Optional.empty();
            }
            values.put(holder.name(), value);
        }
        return Optional.of(values);
    }

    /** The name with {@code values} filled in, offsets added. */
    String fill(Map<String, String> values) {
        StringBuilder name = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(text);
        int last = 0;
        while (m.find()) {
            name.append(text, last, m.start());
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("template " + text + " needs {" + m.group(1) + "}");
            }
            name.append(m.group(3) == null ? value : Long.toString(Long.parseLong(value)
                    + Integer.parseInt(m.group(3))));
            last = m.end();
        }
        return name.append(text.substring(last)).toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
