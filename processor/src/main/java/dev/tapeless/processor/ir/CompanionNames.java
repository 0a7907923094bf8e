package dev.tapeless.processor.ir;

import java.util.List;
import java.util.Locale;

/**
 * The names a companion gives its class and members: the code generator writes them, and the
 * frontend reads them in the companions of libraries, so both take them from here.
 */
public final class CompanionNames {
    private CompanionNames() {}

    /** {@code CDerivatives} for class {@code C}; {@code Outer_InnerDerivatives} for {@code Outer.Inner}. */
    public static String companion(List<String> simpleNames) {
        return String.join("_", simpleNames) + "Derivatives";
    }

    /** {@code FGradient} for method {@code f} and suffix {@code Gradient}: the companion's nested classes. */
    public static String nested(String method, String suffix) {
        return Character.toUpperCase(method.charAt(0)) + method.substring(1) + suffix;
    }

    /** {@code FOO_BAR} for {@code fooBar}: the stem of a method's constants. */
    public static String upperSnake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** {@code F_OPS}: the op counts of {@code f}'s entry points. */
    public static String ops(String method) {
        return upperSnake(method) + "_OPS";
    }
}
