package dev.tapeless;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;

/** The annotation's contract: methods only, kept in class files (for incremental builds), wrt empty by default. */
class DifferentiableTest {

    @Test
    void isKeptInClassFilesButNotAtRunTime() {
        assertEquals(RetentionPolicy.CLASS, Differentiable.class.getAnnotation(Retention.class).value());
    }

    @Test
    void appliesToMethodsOnly() {
        assertArrayEquals(new ElementType[] {ElementType.METHOD}, Differentiable.class.getAnnotation(Target.class).value());
    }

    @Test
    void differentiatesEveryDifferentiableParameterByDefault() throws NoSuchMethodException {
        assertArrayEquals(new String[0], (String[]) Differentiable.class.getMethod("wrt").getDefaultValue());
    }
}
