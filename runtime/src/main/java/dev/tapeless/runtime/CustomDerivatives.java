package dev.tapeless.runtime;

import dev.tapeless.runtime.support.Custom;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code @Derivative} methods of a function, for {@link Variable#custom}: its companion lists
 * them by parameter, in a constant the processor writes ({@code ROUND_THROUGH_DERIVATIVES} for
 * {@code roundThrough}: one method name per parameter, null where there is none), because the
 * names of a method's parameters are not kept in its class file.
 */
final class CustomDerivatives {
    private CustomDerivatives() {}

    /** By class (not by name: two class loaders may each have a class of one name), then function and arity. */
    private static final ClassValue<Map<String, Method[]>> FOUND = new ClassValue<>() {
        @Override
        protected Map<String, Method[]> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    static Method[] of(Class<?> owner, String function, Object[] arguments) {
        return FOUND.get(owner).computeIfAbsent(function + "/" + arguments.length,
                key -> lookUp(owner, function, arguments.length));
    }

    private static Method[] lookUp(Class<?> owner, String function, int parameters) {
        String where = "Variable.custom in " + owner.getSimpleName() + "." + function;
        if (function.startsWith("lambda$")) {
            throw new IllegalStateException(where + ": called from a lambda; call Variable.custom in the "
                    + "@Differentiable function itself, as its return value");
        }
        String companionName = owner.getPackageName() + (owner.getPackageName().isEmpty() ? "" : ".")
                + owner.getName().substring(owner.getPackageName().isEmpty() ? 0 : owner.getPackageName().length() + 1)
                        .replace('$', '_') + "Derivatives";
        String constant = function.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_DERIVATIVES";
        String[] names;
        try {
            Class<?> companion = Class.forName(companionName, true, owner.getClassLoader());
            Field f = companion.getField(constant);
            names = (String[]) f.get(null);
        } catch (ClassNotFoundException | NoSuchFieldException e) {
            throw new IllegalStateException(where + ": " + companionName + "." + constant + " does not exist; mark "
                    + function + " @Differentiable, give it a @Derivative, and compile " + owner.getSimpleName()
                    + " with the Tapeless processor (and call Variable.custom from the function itself)");
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
        if (names.length != parameters) {
            throw new IllegalArgumentException(where + ": " + parameters + " arguments for " + names.length
                    + " parameters; pass the value, then the function's parameters in order");
        }
        Method[] out = new Method[parameters];
        for (int i = 0; i < parameters; i++) {
            if (names[i] == null) continue;
            out[i] = Custom.staticMethod(owner, names[i], parameters + 1);
            if (out[i] == null) {
                throw new IllegalStateException(where + ": no static method " + names[i] + " with " + (parameters + 1)
                        + " parameters; recompile " + owner.getSimpleName() + " and its companion together");
            }
        }
        return out;
    }

    /** Calls a derivative and checks what it returns (see {@link Custom#adjoint}). */
    static INDArray call(Method derivative, Object[] arguments, INDArray like, INDArray upstream) {
        Object out = Custom.invoke(derivative, arguments);
        String name = derivative.getDeclaringClass().getSimpleName() + "." + derivative.getName();
        return Custom.adjoint((INDArray) out, name, like, upstream);
    }
}
