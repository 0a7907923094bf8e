package dev.tapeless.processor.codegen;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;

/** Java identifiers for generated locals: the source's names first, a numbered suffix on a clash. */
final class Names {
    private final Set<String> taken = new HashSet<>();
    /** For each base, a suffix below which every {@code base_i} is taken: the search starts there. */
    private final Map<String, Integer> nextSuffix = new HashMap<>();

    Names(Iterable<String> reserved) {
        for (String r : reserved) taken.add(r);
    }

    Names copy() {
        Names n = new Names(Set.of());
        n.taken.addAll(taken);
        n.nextSuffix.putAll(nextSuffix);
        return n;
    }

    void reserve(String name) {
        taken.add(name);
    }

    /** A fresh identifier close to {@code hint}; temporaries ({@code $mul}) become {@code mul}. */
    String fresh(String hint) {
        String base = hint.startsWith("$") ? camelCase(hint.substring(1)) : hint;
        if (base.isEmpty()) base = "t";
        if (!SourceVersion.isIdentifier(base)) base = "t";
        String candidate = base;
        if (taken.contains(candidate) || SourceVersion.isKeyword(candidate)) {
            int i = nextSuffix.getOrDefault(base, 2);
            while (taken.contains(base + "_" + i)) i++;
            candidate = base + "_" + i;
            nextSuffix.put(base, i + 1);
        }
        taken.add(candidate);
        return candidate;
    }

    /** {@code sum_to} to {@code sumTo}: temporaries are named after their op, in Java's style. */
    private static String camelCase(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
