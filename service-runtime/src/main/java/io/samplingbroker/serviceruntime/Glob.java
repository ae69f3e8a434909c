package io.samplingbroker.serviceruntime;

import java.util.regex.Pattern;

/**
 * A name pattern with {@code *} (any run of characters) and {@code ?} (one character), matched case-insensitively:
 * host ids, server names and model names are written by people, in whatever case they like. Policy rules and the
 * audit command's filters both match with it.
 */
public final class Glob {

    private final String text;
    private final Pattern pattern;

    public Glob(String text) {
        this.text = text;
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.pattern = Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    public boolean matches(String value) {
        return value != null && pattern.matcher(value).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
