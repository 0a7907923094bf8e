package dev.tapeless.runtime.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient checks as JUnit 5 dynamic tests: one test per method, input point and differentiated
 * parameter, named after them, whose failure message is the {@link GradientCheck.Report} table.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> gradients() {
 *     RandomInputs in = RandomInputs.seeded(1);
 *     return GradientTests.within(1e-8)
 *             .check(SeedDerivatives.LOSS, in.array(10), in.array(10))
 *             .check(RosenbrockDerivatives.VALUE, 0.3, -1.2)
 *             .stream();
 * }
 * }</pre>
 *
 * Each point is checked once, when the first of its tests runs.
 */
public final class GradientTests {
    private final double tolerance;
    private final List<Point> points = new ArrayList<>();

    private GradientTests(double tolerance) {
        this.tolerance = tolerance;
    }

    /** Tests that fail when a difference exceeds {@code tolerance}. */
    public static GradientTests within(double tolerance) {
        if (!(tolerance >= 0)) throw new IllegalArgumentException("tolerance " + tolerance + " is not a non-negative number");
        return new GradientTests(tolerance);
    }

    /** Adds the tests of {@code method} at {@code arguments} (as {@link GradientCheck#check} takes them). */
    public GradientTests check(DifferentiatedMethod method, Object... arguments) {
        points.add(new Point(method, arguments.clone(), points.size() + 1));
        return this;
    }

    /**
     * One dynamic test per method, point and differentiated parameter, in the order added (one for
     * the value where nothing is differentiated).
     */
    public Stream<DynamicTest> stream() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Point p : points) {
            for (String parameter : p.parameters()) {
                tests.add(DynamicTest.dynamicTest(p.method.name() + " at " + p.describe() + ": " + parameter,
                        () -> p.assertParameter(parameter, tolerance)));
            }
            if (p.parameters().isEmpty()) { // nothing differentiated: its value is still checked
                tests.add(DynamicTest.dynamicTest(p.method.name() + " at " + p.describe() + ": value",
                        () -> p.assertValue(tolerance)));
            }
        }
        return tests.stream();
    }

    private static final class Point {
        final DifferentiatedMethod method;
        final Object[] arguments;
        final int number;
        private GradientCheck.Report report;

        Point(DifferentiatedMethod method, Object[] arguments, int number) {
            this.method = method;
            this.arguments = arguments;
            this.number = number;
        }

        /** The parameters a check reports on: over Variables, the Variable ones; over doubles, all differentiated. */
        List<String> parameters() {
            return method.parameters().stream()
                    .filter(p -> p.differentiated() && (!method.arrayResult() || p.kind() == DifferentiatedMethod.Kind.VARIABLE))
                    .map(DifferentiatedMethod.Parameter::name).toList();
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            for (Object a : arguments) {
                if (a instanceof INDArray x) parts.add("array" + Arrays.toString(x.shape()));
                else if (a instanceof double[] x) parts.add("double[" + x.length + "]");
                else parts.add(String.valueOf(a));
            }
            return "point " + number + " (" + String.join(", ", parts) + ")";
        }

        synchronized GradientCheck.Report report() {
            if (report == null) report = GradientCheck.check(method, arguments);
            return report;
        }

        void assertValue(double tolerance) {
            GradientCheck.Report r = report();
            if (!(r.valueDifference() <= tolerance)) {
                throw new AssertionError(method.name() + ", its value: difference " + r.valueDifference() + " exceeds "
                        + tolerance + "\n" + r);
            }
        }

        void assertParameter(String parameter, double tolerance) {
            GradientCheck.Report r = report();
            GradientCheck.Row row = r.rows().stream().filter(x -> x.parameter().equals(parameter)).findFirst().orElseThrow();
            double worst = Math.max(r.valueDifference(), Math.max(row.vsTape(), row.vsFiniteDifferences()));
            if (!(worst <= tolerance)) {
                throw new AssertionError(method.name() + ", parameter " + parameter + ": difference " + worst
                        + " exceeds " + tolerance + "\n" + r);
            }
        }
    }
}
