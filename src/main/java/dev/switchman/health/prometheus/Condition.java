package dev.switchman.health.prometheus;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a query's value must satisfy to pass: one comparison and a number, written {@code "< 0.01"},
 * {@code ">= 0.99"}, {@code "== 0"}. One comparison keeps the rule readable in a strategy file; anything more belongs
 * in the PromQL itself.
 */
public record Condition(Operator operator, double threshold) {
    private static final Pattern FORM = Pattern.compile("\\s*(<=|>=|==|!=|<|>)\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

    public enum Operator {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!=");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        static Operator of(String symbol) {
            for (Operator o : values()) {
                if (o.symbol.equals(symbol)) {
                    return o;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /** Reads {@code text}; a mistake names {@code key} and shows the form. */
    public static Condition parse(String key, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(key + " is required: a comparison and a number, e.g. \"< 0.01\"");
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a comparison and a number: write one of"
                    + " <, <=, >, >=, ==, != and a number, e.g. \"< 0.01\"");
        }
        return new Condition(Operator.of(m.group(1)), Double.parseDouble(m.group(2)));
    }

    /** Whether {@code value} passes; NaN never does (the caller judges it inconclusive before asking). */
    public boolean holds(double value) {
        return switch (operator) {
            case LT -> value < threshold;
            case LE -> value <= threshold;
            case GT -> value > threshold;
            case GE -> value >= threshold;
            case EQ -> value == threshold;
            case NE -> value != threshold;
        };
    }

    @Override
    public String toString() {
        return operator.symbol + " " + format(threshold);
    }

    /** A value as people read it: {@code 0.05}, {@code 12}, {@code 0.0312}. */
    static String format(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.4g", value).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }
}
