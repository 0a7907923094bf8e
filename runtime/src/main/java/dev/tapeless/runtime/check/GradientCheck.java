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

    /**
     * One row per parameter, plus the difference between the generated value and the reference's.
     * For a method over {@code double}s ({@code doubles}), the reference is the method itself, whose
     * value the generated code must compute bit for bit (any other is an infinite difference), and
     * each row's {@code vsTape} compares the pullback with the gradient instead.
     */
    public record Report(double valueDifference, List<Row> rows, boolean doubles) {
        public Report(double valueDifference, List<Row> rows) {
            this(valueDifference, rows, false);
        }

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
            StringBuilder s = new StringBuilder(doubles
                    ? (valueDifference == 0 ? "value: the same bits as the method's\n"
                            : "value: NOT the method's (it must be the same bits)\n")
                    : String.format("value: |generated - tape| = %.3g%n", valueDifference));
            s.append(String.format("%-12s %14s %14s%n", "parameter", doubles ? "vs pullback" : "vs tape", "vs fin. diff."));
            for (Row r : rows) s.append(String.format("%-12s %14.3g %14.3g%n", r.parameter, r.vsTape, r.vsFiniteDifferences));
            return s.toString();
        }
    }

    /**
     * Checks a method against the code generated for it, from the constant its companion describes
     * it with: {@code GradientCheck.check(SeedDerivatives.LOSS, a, b).assertWithin(1e-8)}. Pass the
     * arguments as generated code takes them ({@code INDArray} for a {@code Variable}).
     *
     * <ul>
     *   <li>Over {@code Variable}s: the generated value and gradient (on both of its paths) against
     *       the tape running the method, and against central finite differences, for each
     *       differentiated {@code Variable} parameter; the method's {@code double} parameters are
     *       held as they are. Finite differences step by 1e-6, or 1e-2 for FLOAT arrays. A result of more than one element is checked through a pullback
     *       of a fixed upstream (seeded), against the tape's gradient of their inner product.
     *   <li>Over {@code double}s: the generated value against the method's (bit for bit), the
     *       gradient against central finite differences of the method (each element of a
     *       {@code double[]}), and the pullback of 1.75 against 1.75 times the gradient.
     * </ul>
     */
    public static Report check(DifferentiatedMethod method, Object... arguments) {
        return method.arrayResult() ? checkArrays(method, arguments) : checkDoubles(method, arguments);
    }

    private static Report checkArrays(DifferentiatedMethod m, Object[] arguments) {
        List<DifferentiatedMethod.Parameter> ps = m.parameters();
        m.forward(copies(arguments)); // throws for arguments that do not fit, naming the parameter
        List<Integer> checked = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            if (ps.get(i).kind() == DifferentiatedMethod.Kind.VARIABLE && ps.get(i).differentiated()) checked.add(i);
        }
        INDArray value = (INDArray) m.forward(copies(arguments));
        INDArray upstream = value.length() == 1 ? null : seededUpstream(value);
        List<String> wrt = m.wrt();
        Function<List<Variable>, Variable> onTape = vars -> {
            Object[] a = arguments.clone();
            for (int i = 0; i < ps.size(); i++) {
                if (ps.get(i).kind() == DifferentiatedMethod.Kind.VARIABLE) a[i] = Variable.constant((INDArray) arguments[i]);
            }
            for (int k = 0; k < checked.size(); k++) a[checked.get(k)] = vars.get(k);
            Variable y = (Variable) m.source(a);
            return upstream == null ? y : y.mul(Variable.constant(upstream)).sum();
        };
        Function<List<INDArray>, List<INDArray>> generated = xs -> {
            Object[] a = copies(arguments);
            for (int k = 0; k < checked.size(); k++) a[checked.get(k)] = xs.get(k);
            List<Object> out = upstream == null ? m.gradient(a) : m.pullback(upstream.dup(), a);
            List<INDArray> result = new ArrayList<>();
            INDArray v = (INDArray) out.get(0);
            result.add(upstream == null ? v : v.mul(upstream).sum());
            for (int i : checked) result.add((INDArray) out.get(1 + wrt.indexOf(ps.get(i).name())));
            return result;
        };
        List<String> names = checked.stream().map(i -> ps.get(i).name()).toList();
        List<INDArray> inputs = checked.stream().map(i -> (INDArray) arguments[i]).toList();
        // A FLOAT input resolves differences of 1e-6 to nothing: a step it can see.
        boolean single = inputs.stream().anyMatch(x -> x.dataType() != org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        return of(onTape, generated, names, inputs, single ? 1e-2 : 1e-6);
    }

    /** A fixed upstream for a result of more than one element: uniform in [0.5, 1.5), seeded. */
    private static INDArray seededUpstream(INDArray like) {
        java.util.Random r = new java.util.Random(20261129);
        INDArray u = Nd4j.create(like.dataType(), like.shape());
        for (long i = 0; i < u.length(); i++) u.putScalar(i, 0.5 + r.nextDouble());
        return u;
    }

    /** Arrays the generated code may be given without touching the caller's: copies of INDArrays and double[]s. */
    private static Object[] copies(Object[] arguments) {
        Object[] a = arguments.clone();
        for (int i = 0; i < a.length; i++) {
            if (a[i] instanceof INDArray x) a[i] = x.dup();
            if (a[i] instanceof double[] x) a[i] = x.clone();
        }
        return a;
    }

    private static Report checkDoubles(DifferentiatedMethod m, Object[] arguments) {
        List<DifferentiatedMethod.Parameter> ps = m.parameters();
        double source = (Double) m.source(copies(arguments));
        double forward = (Double) m.forward(copies(arguments));
        List<Object> gradient = m.gradient(copies(arguments));
        List<Object> pulled = m.pullback(1.75, copies(arguments));
        boolean same = Double.doubleToLongBits(source) == Double.doubleToLongBits(forward)
                && Double.doubleToLongBits(source) == Double.doubleToLongBits((Double) gradient.get(0));
        List<String> wrt = m.wrt();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            DifferentiatedMethod.Parameter p = ps.get(i);
            if (!p.differentiated()) continue;
            int c = 1 + wrt.indexOf(p.name());
            double vsFd = 0;
            double vsPullback = 0;
            if (p.kind() == DifferentiatedMethod.Kind.DOUBLE) {
                double g = (Double) gradient.get(c);
                vsFd = relative(g, centralDifference(m, arguments, i, -1));
                vsPullback = relative((Double) pulled.get(c), 1.75 * g);
            } else {
                double[] g = (double[]) gradient.get(c);
                double[] pb = (double[]) pulled.get(c);
                for (int j = 0; j < g.length; j++) {
                    vsFd = Math.max(vsFd, relative(g[j], centralDifference(m, arguments, i, j)));
                    vsPullback = Math.max(vsPullback, relative(pb[j], 1.75 * g[j]));
                }
            }
            rows.add(new Row(p.name(), vsPullback, vsFd));
        }
        return new Report(same ? 0 : Double.POSITIVE_INFINITY, rows, true);
    }

    /** {@code |a - b| / max(1, |b|)}, as {@link FiniteDifferences#maxRelDiff}. */
    private static double relative(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.NaN;
        if (a == b) return 0;
        return Math.abs(a - b) / Math.max(1.0, Math.abs(b));
    }

    /** The central difference of the method in argument {@code i} (element {@code j} of an array, else -1). */
    private static double centralDifference(DifferentiatedMethod m, Object[] arguments, int i, int j) {
        double x = j < 0 ? (Double) arguments[i] : ((double[]) arguments[i])[j];
        double h = 1e-6 * Math.max(1.0, Math.abs(x));
        Object[] plus = copies(arguments);
        Object[] minus = copies(arguments);
        if (j < 0) {
            plus[i] = x + h;
            minus[i] = x - h;
        } else {
            ((double[]) plus[i])[j] = x + h;
            ((double[]) minus[i])[j] = x - h;
        }
        return ((Double) m.source(plus) - (Double) m.source(minus)) / (2 * h);
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
