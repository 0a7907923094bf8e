package dev.tapeless.runtime.check;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.support.Dense;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares a generated gradient three ways: against the runtime tape running the annotated method
 * itself, and against central finite differences of that method's value. Reports the worst
 * difference per parameter. The generated gradient runs twice, on each of its two paths: the
 * fused Java loops a companion takes when the arrays allow it, and ND4J's ops (forced with
 * {@link Dense#withoutFusedLoops}); each row reports the worse of the two.
 *
 * <pre>{@code
 * GradientCheck.Report r = GradientCheck.of(
 *         v -> Seed.loss(v.get(0), v.get(1)),                       // the annotated method, on the tape
 *         x -> { var g = SeedDerivatives.lossGradient(x.get(0), x.get(1));
 *                return List.of(g.value(), g.a(), g.b()); },            // value, then one gradient per input
 *         List.of("a", "b"), List.of(a, b));
 * r.assertWithin(1e-6);
 * }</pre>
 */
public final class GradientCheck {
    private GradientCheck() {}

    /** Differences for one parameter: generated vs tape, generated vs finite differences. */
    public record Row(String parameter, double vsTape, double vsFiniteDifferences) {}

    /** One row per parameter, plus the difference between the generated value and the tape's. */
    public record Report(double valueDifference, List<Row> rows) {
        public double worst() {
            double w = valueDifference;
            for (Row r : rows) w = Math.max(w, Math.max(r.vsTape, r.vsFiniteDifferences));
            return w;
        }

        /** Throws an {@link AssertionError} with the whole table when any difference exceeds {@code tolerance}. */
        public Report assertWithin(double tolerance) {
            if (!(worst() <= tolerance)) {
                throw new AssertionError("gradient check failed (tolerance " + tolerance + ")\n" + this);
            }
            return this;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format("value: |generated - tape| = %.3g%n", valueDifference));
            s.append(String.format("%-12s %14s %14s%n", "parameter", "vs tape", "vs fin. diff."));
            for (Row r : rows) s.append(String.format("%-12s %14.3g %14.3g%n", r.parameter, r.vsTape, r.vsFiniteDifferences));
            return s.toString();
        }
    }

    /**
     * @param onTape    the annotated method called with Variables (runs on the runtime tape)
     * @param generated the generated gradient: returns the value, then one gradient per input, in order
     * @param names     parameter names, for the report
     * @param inputs    the point to check at (never modified)
     */
    public static Report of(Function<List<Variable>, Variable> onTape, Function<List<INDArray>, List<INDArray>> generated,
            List<String> names, List<INDArray> inputs) {
        return of(onTape, generated, names, inputs, 1e-6);
    }

    public static Report of(Function<List<Variable>, Variable> onTape, Function<List<INDArray>, List<INDArray>> generated,
            List<String> names, List<INDArray> inputs, double eps) {
        return of(onTape, generated, names, inputs, eps, 0);
    }

    /**
     * As {@link #of(Function, Function, List, List, double)}, with finite differences on at most
     * {@code sampledCoordinates} elements of each input, spread evenly over it (0: every element).
     * The comparison with the tape still covers every element. For models with many parameters,
     * where central differences cost two evaluations per element.
     */
    public static Report of(Function<List<Variable>, Variable> onTape, Function<List<INDArray>, List<INDArray>> generated,
            List<String> names, List<INDArray> inputs, double eps, int sampledCoordinates) {
        if (names.size() != inputs.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + inputs.size() + " inputs");
        }
        List<INDArray> copies = inputs.stream().map(INDArray::dup).toList();
        List<INDArray> gen = generated.apply(copies);
        if (gen.size() != inputs.size() + 1) {
            throw new IllegalArgumentException("the generated function must return the value and " + inputs.size()
                    + " gradients, got " + gen.size() + " arrays");
        }
        List<INDArray> nd4jCopies = inputs.stream().map(INDArray::dup).toList();
        List<INDArray> nd4j = Dense.withoutFusedLoops(() -> generated.apply(nd4jCopies));

        Tape.reset();
        List<Variable> vars = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) vars.add(Variable.constant(inputs.get(i).dup(), names.get(i)));
        Variable loss = onTape.apply(vars);
        List<Variable> tape = Tape.grad(loss, vars.toArray(new Variable[0]));
        Tape.reset();

        Function<List<INDArray>, Double> value = x -> valueOnTape(onTape, x, names);
        List<INDArray> fd = sampledCoordinates > 0 ? null : FiniteDifferences.gradient(value, inputs, eps);

        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            double vsTape = 0;
            double vsFd = 0;
            for (List<INDArray> path : List.of(gen, nd4j)) {
                INDArray g = path.get(i + 1);
                vsFd = Math.max(vsFd, fd != null ? FiniteDifferences.maxRelDiff(g, fd.get(i))
                        : sampledDifference(value, inputs, eps, i, g, sampledCoordinates));
                vsTape = Math.max(vsTape, FiniteDifferences.maxRelDiff(g, tape.get(i).value()));
            }
            rows.add(new Row(names.get(i), vsTape, vsFd));
        }
        double valueDiff = Math.max(FiniteDifferences.maxRelDiff(gen.get(0).reshape(loss.value().shape()), loss.value()),
                FiniteDifferences.maxRelDiff(nd4j.get(0).reshape(loss.value().shape()), loss.value()));
        for (int i = 0; i < inputs.size(); i++) {
            if (!sameBits(inputs.get(i), copies.get(i)) || !sameBits(inputs.get(i), nd4jCopies.get(i))) {
                throw new AssertionError("the generated code wrote into its argument " + names.get(i));
            }
        }
        return new Report(valueDiff, rows);
    }

    /** Same shape and every element the same bits: a write of any size is caught (INDArray.equals forgives 1e-5). */
    private static boolean sameBits(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) return false;
        double[] x = a.dup('c').data().asDouble();
        double[] y = b.dup('c').data().asDouble();
        for (int i = 0; i < a.length(); i++) {
            if (Double.doubleToLongBits(x[i]) != Double.doubleToLongBits(y[i])) return false;
        }
        return true;
    }

    private static double sampledDifference(Function<List<INDArray>, Double> value, List<INDArray> inputs, double eps,
            int input, INDArray generated, int samples) {
        long length = inputs.get(input).length();
        int n = (int) Math.min(samples, length);
        long[] indices = new long[n];
        for (int k = 0; k < n; k++) indices[k] = k * length / n;
        double[] fd = FiniteDifferences.partials(value, inputs, eps, input, indices);
        INDArray flat = generated.dup('c').reshape(length);
        double[] sampled = new double[n];
        for (int k = 0; k < n; k++) sampled[k] = flat.getDouble(indices[k]);
        return FiniteDifferences.maxRelDiff(Nd4j.createFromArray(sampled), Nd4j.createFromArray(fd));
    }

    private static double valueOnTape(Function<List<Variable>, Variable> f, List<INDArray> x, List<String> names) {
        Tape.reset();
        List<Variable> vars = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) vars.add(Variable.constant(x.get(i), names.get(i)));
        INDArray v = f.apply(vars).value();
        Tape.reset();
        if (v.length() != 1) {
            throw new IllegalArgumentException("finite differences need a scalar value, got shape " + Arrays.toString(v.shape()));
        }
        return v.getDouble(0);
    }
}
