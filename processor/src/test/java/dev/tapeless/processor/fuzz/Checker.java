package dev.tapeless.processor.fuzz;

import dev.tapeless.processor.fuzz.Ast.Field;
import dev.tapeless.processor.fuzz.Ast.Method;
import dev.tapeless.processor.fuzz.Ast.Param;
import dev.tapeless.processor.fuzz.Ast.Program;
import dev.tapeless.processor.fuzz.Ast.Type;
import dev.tapeless.processor.fuzz.Finding.Kind;
import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.support.Dense;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs one compiled program's companion against its source: exact forward values for double
 * methods, the tape for tensor methods, central finite differences for gradients, linearity of
 * pullbacks, untouched inputs and unaliased results.
 */
final class Checker {
    /** Finite differences and the analytic gradient must agree to this, relative to max(1, |reference|). */
    static final double FD_TOLERANCE = 1e-5;
    /** Generated tensor code against the tape (both exact in exact arithmetic; only rounding differs). */
    static final double TAPE_TOLERANCE = 1e-8;

    private final Program program;
    private final ClassLoader loader;
    private final long runSeed;
    private final int mutantRound;
    private final List<Finding> findings;
    private final boolean valuesOnly;
    /** Methods whose check stopped at a known bug (see {@link KnownBugs}). */
    int knownBugHits;

    Checker(Program program, ClassLoader loader, long runSeed, int mutantRound, List<Finding> findings) {
        this.program = program;
        this.loader = loader;
        this.runSeed = runSeed;
        this.mutantRound = mutantRound;
        this.findings = findings;
        this.valuesOnly = mutantRound >= 0;
    }

    /** Checks every method; returns the number of methods checked. */
    int run() {
        Class<?> source, companion;
        try {
            source = Class.forName(program.qualifiedName(), true, loader);
            companion = Class.forName(program.companionName(), true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            findings.add(finding(Kind.NO_COMPANION, null, null, "cannot load: " + e));
            return 0;
        }
        int checked = 0;
        for (Method m : program.methods) {
            String[] inputs = {null};
            try {
                boolean tensors = m.params.stream().anyMatch(p -> p.type == Type.TENSOR || p.type == Type.DATA);
                if (m.tensor()) new TensorCheck(m, source, companion, inputs).run();
                else if (!tensors) new DoubleCheck(m, source, companion, inputs).run();
                // (else: a mutant gave a double method a tensor parameter; it compiled; nothing to compare)
                checked++;
            } catch (KnownBugHit k) {
                knownBugHits++;
            } catch (Failure f) {
                findings.add(finding(f.kind, m.name, inputs[0], f.getMessage()));
            } catch (Throwable t) {
                Throwable c = t instanceof InvocationTargetException ? t.getCause() : t;
                // an array from a branch that did not run, read as null (two known bugs; mutants make
                // both shapes whatever the generator avoids)
                if ((KnownBugs.BRANCH_LAYOUT_IN_VJP || KnownBugs.NESTED_RETURN_IN_TENSOR_METHOD) && c instanceof NullPointerException
                        && c.getStackTrace().length > 0 && c.getStackTrace()[0].toString().contains("Layout.of")) {
                    knownBugHits++;
                    continue;
                }
                findings.add(finding(Kind.EXCEPTION_MISMATCH, m.name, inputs[0], "unexpected " + stack(c)));
            }
        }
        return checked;
    }

    static String stack(Throwable t) {
        StringBuilder sb = new StringBuilder(t.toString());
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) sb.append("\n    at ").append(st[i]);
        return sb.toString();
    }

    private Finding finding(Kind kind, String method, String inputs, String detail) {
        return new Finding(kind, program, method, inputs, detail, runSeed, mutantRound);
    }

    /** A check that met a known bug (see {@link KnownBugs}): the method's check stops there. */
    static final class KnownBugHit extends RuntimeException {
        KnownBugHit() {
            super(null, null, false, false);
        }
    }

    /** A failed check, caught per method. */
    static final class Failure extends RuntimeException {
        final Kind kind;

        Failure(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    static Class<?> sourceType(Param p) {
        return switch (p.type) {
            case DOUBLE -> double.class;
            case INT -> int.class;
            case LONG -> long.class;
            case BOOL -> boolean.class;
            case TENSOR -> Variable.class;
            case DATA -> INDArray.class;
            case DARR -> double[].class;
            case IARR -> int[].class;
            case LARR -> long[].class;
            case BARR -> boolean[].class;
            case DMAT -> double[][].class;
        };
    }

    static Class<?> companionType(Param p) {
        return p.type == Type.TENSOR ? INDArray.class : sourceType(p);
    }

    static java.lang.reflect.Method find(Class<?> c, String name, Class<?>... types) {
        try {
            java.lang.reflect.Method m = c.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new Failure(Kind.API, c.getSimpleName() + " has no method " + name + Arrays.toString(types));
        }
    }

    static Object call(java.lang.reflect.Method m, Object target, Object... args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Calls a generated entry point with its fused and matrix loops turned off; throws what it throws. */
    static Object onNd4jPath(java.lang.reflect.Method m, Object... args) throws Throwable {
        Throwable[] thrown = new Throwable[1];
        Object result = Dense.withoutFusedLoops(() -> {
            try {
                return call(m, null, args);
            } catch (Throwable e) {
                thrown[0] = e;
                return null;
            }
        });
        if (thrown[0] != null) throw thrown[0];
        return result;
    }

    static Object accessor(Object record, String name) throws Throwable {
        java.lang.reflect.Method m = record.getClass().getMethod(name);
        m.setAccessible(true);
        return call(m, record);
    }

    /** The components of a gradient record after value(), in order. */
    static List<Object> components(Object record, int expected) throws Throwable {
        RecordComponent[] rc = record.getClass().getRecordComponents();
        if (rc == null || rc.length != expected + 1) {
            throw new Failure(Kind.API, record.getClass().getSimpleName() + " has components "
                    + (rc == null ? "none" : Arrays.toString(Arrays.stream(rc).map(RecordComponent::getName).toArray()))
                    + ", expected value and " + expected + " gradient(s)");
        }
        List<Object> out = new ArrayList<>();
        for (int i = 1; i < rc.length; i++) {
            java.lang.reflect.Method a = rc[i].getAccessor();
            a.setAccessible(true);
            out.add(call(a, record));
        }
        return out;
    }

    static boolean same(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b) || (Double.isNaN(a) && Double.isNaN(b));
    }

    static String show(double v) {
        return Double.toString(v) + " (bits 0x" + Long.toHexString(Double.doubleToRawLongBits(v)) + ")";
    }

    // ------------------------------------------------------------------------------ double methods

    /** Java's run-time errors that generated code must raise where the source does (and only there). */
    static boolean javaError(Throwable t) {
        return t instanceof ArithmeticException || t instanceof IndexOutOfBoundsException || t instanceof NegativeArraySizeException;
    }

    /** Fresh copies of arguments: every call gets its own arrays, so that none can change another's. */
    static Object[] copies(Object[] args) {
        Object[] c = new Object[args.length];
        for (int i = 0; i < args.length; i++) c[i] = Ast.deepCopy(args[i]);
        return c;
    }

    /**
     * One coordinate of the double inputs: a double parameter ({@code element} -1) or an element of
     * a double[] parameter.
     */
    static double coordinate(Object[] args, int at, int element) {
        return element < 0 ? (Double) args[at] : ((double[]) args[at])[element];
    }

    /** {@code args} with one coordinate set to {@code x} (the array written is a copy). */
    static Object[] with(Object[] args, int at, int element, double x) {
        Object[] out = args.clone();
        if (element < 0) {
            out[at] = x;
        } else {
            double[] a = ((double[]) args[at]).clone();
            a[element] = x;
            out[at] = a;
        }
        return out;
    }

    /** Every double of the inputs: double parameters and the elements of double[] and double[][] ones. */
    static List<Double> allDoubles(Object[] args) {
        List<Double> out = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof Double d) out.add(d);
            else if (a instanceof double[] v) for (double d : v) out.add(d);
            else if (a instanceof double[][] m) for (double[] row : m) for (double d : row) out.add(d);
        }
        return out;
    }

    /** The values of a gradient component: one double, or the elements of a double[] (null: not one of these). */
    static double[] values(Object component) {
        if (component instanceof Double d) return new double[] {d};
        if (component instanceof double[] a) return a;
        return null;
    }

    private final class DoubleCheck {
        final Method m;
        final java.lang.reflect.Method src, fwd, grad, vjp;
        final List<Param> diff;
        final String[] inputsOut;

        DoubleCheck(Method m, Class<?> source, Class<?> companion, String[] inputsOut) {
            this.m = m;
            this.inputsOut = inputsOut;
            Class<?>[] types = m.params.stream().map(Checker::sourceType).toArray(Class<?>[]::new);
            src = find(source, m.name, types);
            fwd = find(companion, m.name, types);
            grad = find(companion, m.name + "Gradient", types);
            vjp = find(companion, m.name + "Vjp", types);
            diff = m.differentiated();
        }

        void run() throws Throwable {
            SplittableRandom r = new SplittableRandom(program.seed ^ m.name.hashCode());
            Object[] point = copies(m.params.stream().map(p -> p.value).toArray());
            if (!valuesOnly) interpreterAgrees(point);
            checkAt(point);
            if (!valuesOnly) gradientsAt(point);
            for (int i = 0; i < 2; i++) {
                Object[] other = copies(point);
                for (int j = 0; j < other.length; j++) {
                    if (other[j] instanceof Double d) other[j] = moved(r, d);
                    else if (other[j] instanceof double[] a) for (int k = 0; k < a.length; k++) a[k] = moved(r, a[k]);
                    else if (other[j] instanceof double[][] rows) for (double[] a : rows) for (int k = 0; k < a.length; k++) a[k] = moved(r, a[k]);
                }
                checkAt(other);
            }
        }

        /** Another value near {@code d} (or {@code d} itself): the lengths of arrays stay. */
        double moved(SplittableRandom r, double d) {
            return r.nextInt(3) == 0 ? d : d * (0.5 + r.nextDouble()) + (r.nextDouble() - 0.5);
        }

        String describe(Object[] args) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                Param p = m.params.get(i);
                sb.append(i > 0 ? ", " : "").append(p.name).append(" = ");
                if (p.type.array()) sb.append("new ").append(p.type.java).append(' ');
                sb.append(Ast.literal(a));
            }
            return sb.toString();
        }

        /** The source's value at {@code args} (on copies), or Java's run-time error there. */
        Object source(Object[] args) throws Throwable {
            try {
                return call(src, null, copies(args));
            } catch (RuntimeException e) {
                if (!javaError(e)) throw e;
                return e;
            }
        }

        /**
         * The generator's interpreter must compute what Java computes at the point it generated
         * the method for (else its choices there, domains and ties, rest on wrong values).
         */
        void interpreterAgrees(Object[] point) throws Throwable {
            Object expected = source(point);
            Object mine;
            try {
                java.util.Map<String, Object> fields = new java.util.HashMap<>();
                for (Field f : program.fields) fields.put(f.name, f.value);
                mine = Interp.call(m, copies(point), fields);
            } catch (Interp.Fault f) {
                mine = f;
            }
            boolean agree = expected instanceof Double e && mine instanceof Double g ? same(e, g)
                    : expected instanceof RuntimeException x && mine instanceof Interp.Fault f && f.java != null && f.java.isInstance(x);
            if (!agree) {
                throw new Failure(Kind.INTERPRETER_DISAGREES, "the fuzzer's interpreter gives " + mine + ", the compiled source "
                        + expected + " (a bug in the fuzzer)");
            }
        }

        /** Arrays given to a companion's entry point must be as they were: never write into the caller's arrays. */
        void unchanged(Object[] args, Object[] given, String what) {
            for (int i = 0; i < args.length; i++) {
                if (!Ast.sameValue(args[i], given[i])) {
                    throw new Failure(Kind.INPUT_WRITTEN, what + " wrote into its argument " + m.params.get(i).name + ": was "
                            + Ast.literal(args[i]) + ", now " + Ast.literal(given[i]));
                }
            }
        }

        /** The forward value of the source, the companion's forward, gradient and Vjp: bit for bit. */
        void checkAt(Object[] args) throws Throwable {
            inputsOut[0] = describe(args);
            Object expected = source(args);
            RuntimeException thrown = expected instanceof RuntimeException e ? e : null;
            String[] entries = {m.name, m.name + "Gradient", m.name + "Vjp"};
            java.lang.reflect.Method[] ms = {fwd, grad, vjp};
            for (int i = 0; i < 3; i++) {
                Object got;
                Object[] given = copies(args);
                try {
                    got = call(ms[i], null, given);
                    if (i > 0) got = accessor(got, "value");
                } catch (RuntimeException e) {
                    if (!javaError(e)) throw e;
                    if (thrown == null) {
                        throw new Failure(Kind.EXCEPTION_MISMATCH, entries[i] + " throws " + stack(e) + "\nthe source returns " + expected);
                    }
                    // (a mutant's dead statement that throws first in Java may be dropped in the companion,
                    // which then throws later, or not at all: see below)
                    if (!valuesOnly && e.getClass() != thrown.getClass()) {
                        throw new Failure(Kind.EXCEPTION_MISMATCH, "the source throws " + thrown + "; " + entries[i] + " throws " + stack(e));
                    }
                    continue;
                }
                unchanged(args, given, entries[i]);
                // (a mutant's dead `u /= 0` throws in Java but not in the companion, which drops dead
                // statements: see fuzz-findings; no verdict for mutants)
                if (thrown != null && valuesOnly) return;
                if (thrown != null) throw new Failure(Kind.EXCEPTION_MISMATCH, "the source throws " + thrown + "; " + entries[i] + " returns " + got);
                double e = (Double) expected, g = (Double) got;
                if (!same(e, g) && !(KnownBugs.SIGNED_ZERO_FROM_INT_FOLDING && e == 0 && g == 0)) {
                    throw new Failure(Kind.FORWARD_VALUE, entries[i] + (i > 0 ? "(...).value()" : "(...)") + " differs from the source method\n  expected (Java): "
                            + show(e) + "\n  actual (generated): " + show(g));
                }
            }
        }

        /**
         * Every double input between 1e-150 and 1e150 in magnitude (or 0): then a textbook adjoint
         * (products of local derivatives) cannot overflow on its own, so an infinite gradient where
         * finite differences are finite is Tapeless's doing. Outside, no verdict on overflow.
         */
        boolean moderate(Object[] args) {
            for (double d : allDoubles(args)) {
                if (d != 0 && !(Math.abs(d) > 1e-150 && Math.abs(d) < 1e150)) return false;
            }
            return true;
        }

        /**
         * Every double input between 1e-8 and 1e8 in magnitude (or 0). Outside, the textbook adjoint
         * itself cancels catastrophically (y / log1p(y) at y = -1e-23: log1p(y) - y / (1 + y) is 0
         * in doubles, the true derivative 0.5), so finite differences cannot judge the generated one.
         */
        boolean ordinary(Object[] args) {
            for (double d : allDoubles(args)) {
                if (d != 0 && !(Math.abs(d) > 1e-8 && Math.abs(d) < 1e8)) return false;
            }
            return true;
        }

        double value(Object[] args) throws Throwable {
            return (Double) call(src, null, copies(args));
        }

        /**
         * The gradient components of a Gradient or pullback record, checked for their shape: a double
         * per double parameter, a double[] as long as its parameter per double[] one, none sharing
         * an array with another or with the arguments {@code given}.
         */
        List<Object> gradient(Object record, Object[] given, String what) throws Throwable {
            List<Object> g = components(record, diff.size());
            List<Object> seen = new ArrayList<>(Arrays.asList(given));
            for (int i = 0; i < diff.size(); i++) {
                Param p = diff.get(i);
                Object c = g.get(i);
                if (p.type == Type.DARR) {
                    int n = ((double[]) m.params.get(m.params.indexOf(p)).value).length;
                    if (!(c instanceof double[] a) || a.length != n) {
                        throw new Failure(Kind.API, what + "." + p.name + "() is " + (c instanceof double[] b ? "a double[" + b.length + "]" : c)
                                + ", expected a double[" + n + "]");
                    }
                    for (Object o : seen) {
                        if (o == c) throw new Failure(Kind.ALIASING, what + "." + p.name + "() is an array the caller also holds (an argument or another component)");
                    }
                    seen.add(c);
                }
            }
            return g;
        }

        void gradientsAt(Object[] args) throws Throwable {
            double f0;
            Object v0 = source(args);
            if (!(v0 instanceof Double)) return;
            f0 = (Double) v0;
            Object[] given = copies(args);
            Object gr = call(grad, null, given);
            unchanged(args, given, m.name + "Gradient");
            List<Object> g = gradient(gr, given, m.name + "Gradient(...)");
            Object[] kept = copies(args);
            Object v = call(vjp, null, kept);
            java.lang.reflect.Method pull = find(v.getClass(), "pullback", double.class);
            List<Object> p1 = gradient(call(pull, v, 1.0), kept, m.name + "Vjp(...).pullback(1.0)");
            List<Object> p1Saved = new ArrayList<>();
            for (Object o : p1) p1Saved.add(Ast.deepCopy(o));
            for (int i = 0; i < diff.size(); i++) {
                Param p = diff.get(i);
                int at = m.params.indexOf(p);
                double[] gi = values(g.get(i)), pi = values(p1.get(i));
                for (int k = 0; k < gi.length; k++) {
                    int element = p.type == Type.DARR ? k : -1;
                    String name = p.name + (element < 0 ? "" : "[" + k + "]");
                    if (!close(gi[k], pi[k], 1e-12) && ordinary(args)) {
                        throw new Failure(Kind.PULLBACK, "d/d" + name + ": " + m.name + "Gradient gives " + show(gi[k])
                                + " but " + m.name + "Vjp(...).pullback(1.0) gives " + show(pi[k]));
                    }
                    finiteDifferences(args, at, element, name, gi[k], f0);
                }
            }
            for (double c : new double[] {2.5, -1e-10, 1e10, 0.0}) {
                List<Object> pc = gradient(call(pull, v, c), kept, m.name + "Vjp(...).pullback(" + c + ")");
                for (int i = 0; i < diff.size(); i++) {
                    double[] ones = values(p1Saved.get(i)), gots = values(pc.get(i));
                    for (int k = 0; k < ones.length; k++) {
                        String name = diff.get(i).name + (diff.get(i).type == Type.DARR ? "[" + k + "]" : "");
                        double want = c * ones[k];
                        double got = gots[k];
                        if (!Double.isFinite(want)) continue;
                        // a huge upstream, or huge or tiny inputs, may overflow an intermediate adjoint of the textbook too
                        if (!Double.isFinite(got) && (c == 1e10 || !moderate(args))) continue;
                        // rounding residues (1e-16 where the terms are of order 1) scale with c only roughly
                        double tolerance = 1e-9 * Math.max(Math.max(Math.abs(c), Math.abs(want)), Math.abs(got));
                        boolean wrong = !Double.isFinite(got) || (Math.abs(want - got) > tolerance && !close(want, got, 1e-9));
                        // outside ordinary magnitudes subnormal intermediates lose digits, in the textbook adjoint too;
                        // and a derivative that is exactly 0 at upstream 1 is a cancellation whose residue has no scale
                        if (wrong && Double.isFinite(got) && (!ordinary(args) || ones[k] == 0)) continue;
                        // Scaling the upstream by -1 or a power of two scales every product and sum of a linear
                        // pullback exactly: when those agree to the bit, the difference is rounding (a
                        // cancellation of terms of 1e8 and more, which other factors round differently)
                        if (wrong && Double.isFinite(got) && exactlyHomogeneous(pull, v, i, k, ones[k])) continue;
                        if (wrong) {
                            throw new Failure(Kind.PULLBACK, "pullback is not linear in its upstream: d/d" + name
                                    + " with pullback(1.0) = " + show(ones[k]) + " but pullback(" + c + ") = " + show(got)
                                    + " (expected about " + want + ")");
                        }
                    }
                }
            }
            for (int i = 0; i < diff.size(); i++) {
                if (!Ast.sameValue(p1Saved.get(i), p1.get(i))) {
                    throw new Failure(Kind.ALIASING, "the result of an earlier pullback changed when pullback was called again: "
                            + diff.get(i).name + " was " + Ast.literal(p1Saved.get(i)) + ", now " + Ast.literal(p1.get(i)));
                }
            }
            unchanged(args, kept, m.name + "Vjp(...).pullback");
            if (KnownBugs.VJP_REREADS_MUTABLE_STATICS) return;
            List<Field> mutable = program.fields.stream().filter(f -> !f.isFinal).toList();
            if (mutable.isEmpty()) return;
            Class<?> source = src.getDeclaringClass();
            Object v2 = call(vjp, null, copies(args));
            List<Object> before = new ArrayList<>();
            for (Field f : mutable) {
                java.lang.reflect.Field jf = source.getDeclaredField(f.name);
                jf.setAccessible(true);
                before.add(jf.get(null));
                jf.set(null, ((Double) jf.get(null)) * 3 + 1);
            }
            List<Object> changed;
            try {
                changed = components(call(pull, v2, 1.0), diff.size());
            } finally {
                for (int i = 0; i < mutable.size(); i++) {
                    java.lang.reflect.Field jf = source.getDeclaredField(mutable.get(i).name);
                    jf.setAccessible(true);
                    jf.set(null, before.get(i));
                }
            }
            for (int i = 0; i < diff.size(); i++) {
                if (!Ast.sameValue(changed.get(i), p1Saved.get(i))) {
                    throw new Failure(Kind.VJP_STATE, "a Vjp's pullback changes when a mutable static field changes after "
                            + m.name + "Vjp returned: d/d" + diff.get(i).name + " = " + Ast.literal(p1Saved.get(i)) + " before, "
                            + Ast.literal(changed.get(i)) + " after setting " + mutable.stream().map(f -> f.name).toList());
                }
            }
        }

        /** Whether pullback(-1) and pullback(4) give exactly -1 and 4 times {@code one} in component i, element k. */
        boolean exactlyHomogeneous(java.lang.reflect.Method pull, Object vjp, int i, int k, double one) throws Throwable {
            if (!Double.isFinite(4 * one)) return false;
            double minus = values(components(call(pull, vjp, -1.0), diff.size()).get(i))[k];
            double four = values(components(call(pull, vjp, 4.0), diff.size()).get(i))[k];
            return same(minus, -one) && same(four, 4 * one);
        }

        /** Central differences in one coordinate (a double parameter, or an element of a double[] one) against {@code analytic}. */
        void finiteDifferences(Object[] args, int at, int element, String name, double analytic, double f0) throws Throwable {
            double x = coordinate(args, at, element);
            // Steps relative to |x| first (right for tiny and huge x), then relative to 1.
            // (a third, larger step for a function that did not move at all: a large intermediate
            // such as x * k + 1e12 - 1e12 absorbs steps of 1e-5)
            for (double scale : new double[] {Math.abs(x), 1, 100 * Math.abs(x)}) {
                if (scale == 0) continue;
                double[] d = new double[2];
                double noise = 0;
                boolean ok = true;
                for (int s = 0; s < 2 && ok; s++) {
                    double h = (s == 0 ? 1e-5 : 1e-6) * scale;
                    double xp = x + h, xm = x - h;
                    if (xp == xm) {
                        ok = false;
                        break;
                    }
                    double fp, fm;
                    try {
                        fp = value(with(args, at, element, xp));
                        fm = value(with(args, at, element, xm));
                    } catch (RuntimeException e) {
                        if (javaError(e)) return;
                        throw e;
                    }
                    d[s] = (fp - fm) / (xp - xm);
                    noise = Math.max(noise, 8 * Math.ulp(Math.max(Math.abs(fp), Math.abs(fm))) / (xp - xm));
                }
                if (!ok) continue;
                // The same step about a center moved by a seventh of it: the two quotients differ by
                // the rounding of a large intermediate the value no longer shows (x - 3.6e8 + 3.6e8),
                // which the two steps about x alone may hide by chance.
                try {
                    double h = 1e-5 * scale, c = x + h / 7;
                    double xp = c + h, xm = c - h;
                    if (xp != xm) {
                        noise = Math.max(noise, Math.abs((value(with(args, at, element, xp)) - value(with(args, at, element, xm))) / (xp - xm) - d[0]));
                    }
                } catch (RuntimeException e) {
                    if (javaError(e)) return;
                    throw e;
                }
                Verdict v = verdict(d, noise, analytic);
                // the function did not move at all: absorbed by a large intermediate (y - hypot(21, y) at
                // y = 8e5); try a larger step, and give no verdict if even that does not move it
                if (v == Verdict.UNKNOWN || (d[0] == 0 && d[1] == 0 && analytic != 0)) continue;
                // far from 1 (a derivative of 4e298, w / exp(-367) = 1.8e169 whose adjoint -w / e^2 * e
                // squares e into the subnormals) the textbook adjoint's own products overflow: no verdict there
                if (v == Verdict.OVERFLOW && moderate(args) && Math.abs(d[1]) < 1e100 && Math.abs(f0) < 1e100) {
                    throw new Failure(Kind.GRADIENT_OVERFLOW, "d/d" + name + " is " + analytic + " but finite differences give "
                            + d[1] + " (value " + f0 + ")");
                }
                if (v == Verdict.WRONG && ordinary(args)) {
                    throw new Failure(Kind.GRADIENT_VS_FINITE_DIFFERENCES, "d/d" + name
                            + "\n  expected (finite differences, steps 1e-5 and 1e-6 times " + scale + "): "
                            + d[1] + " (and " + d[0] + ")\n  actual (generated): " + show(analytic) + "\n  value: " + f0);
                }
                return;
            }
        }
    }

    enum Verdict { AGREE, WRONG, OVERFLOW, UNKNOWN }

    /**
     * Compares an analytic derivative with central differences at two steps {@code d}, whose
     * rounding noise is about {@code noise}. No verdict when the two steps disagree (a kink, a
     * branch switch, or noise) or the noise is large.
     */
    static Verdict verdict(double[] d, double noise, double analytic) {
        if (!Double.isFinite(d[0]) || !Double.isFinite(d[1]) || !Double.isFinite(noise)) return Verdict.UNKNOWN;
        // NaN is 0/0 at a kink the step did not reach (hypot at the origin inside a callee): the textbook gives it too
        if (Double.isNaN(analytic)) return Verdict.UNKNOWN;
        double scale = Math.max(1, Math.abs(d[1]));
        double spread = Math.abs(d[0] - d[1]);
        if (spread > 1e-3 * scale || noise > 1e-4 * scale) return Verdict.UNKNOWN;
        // Both steps must tell the same story, also relatively: a step far longer than the
        // function's period (sin(2w) at w = 1e86) gives two tiny, unrelated quotients.
        if (spread > 1e-2 * Math.max(Math.abs(d[0]), Math.abs(d[1]))) return Verdict.UNKNOWN;
        if (!Double.isFinite(analytic)) return Verdict.OVERFLOW;
        // Relative to the derivative itself down to 1e-2 (absolute 1e-7 below), not to max(1, |d|):
        // small gradients get checked too. The spread of the two steps bounds the truncation error, the noise term the rounding.
        double allowed = FD_TOLERANCE * Math.max(Math.abs(d[1]), 1e-2) + 10 * spread + 10 * noise;
        return Math.abs(analytic - d[1]) > allowed ? Verdict.WRONG : Verdict.AGREE;
    }

    static boolean close(double a, double b, double rel) {
        if (same(a, b)) return true;
        if (!Double.isFinite(a) || !Double.isFinite(b)) return false;
        return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + Double.MIN_NORMAL;
    }

    // ------------------------------------------------------------------------------ tensor methods

    private final class TensorCheck {
        final Method m;
        final java.lang.reflect.Method src, fwd, grad, vjp;
        final List<Param> diff;
        final String[] inputsOut;
        final SplittableRandom r;
        /** Finite differences found the loss saturated (see fuzz-findings: pullback then ignores its upstream). */
        boolean saturated;

        TensorCheck(Method m, Class<?> source, Class<?> companion, String[] inputsOut) {
            this.m = m;
            this.inputsOut = inputsOut;
            src = find(source, m.name, m.params.stream().map(Checker::sourceType).toArray(Class<?>[]::new));
            Class<?>[] types = m.params.stream().map(Checker::companionType).toArray(Class<?>[]::new);
            fwd = find(companion, m.name, types);
            grad = find(companion, m.name + "Gradient", types);
            vjp = find(companion, m.name + "Vjp", types);
            diff = m.differentiated();
            r = new SplittableRandom(program.seed ^ m.name.hashCode());
        }

        INDArray array(long[] shape, double[] data) {
            if (shape.length == 0) return Nd4j.scalar(data[0]);
            return Nd4j.create(data, shape, DataType.DOUBLE);
        }

        INDArray random(long[] shape) {
            long n = 1;
            for (long s : shape) n *= s;
            double[] d = new double[(int) n];
            for (int i = 0; i < d.length; i++) d[i] = r.nextDouble() * 2 - 1;
            return array(shape, d);
        }

        Object[] companionArgs() {
            Object[] a = new Object[m.params.size()];
            for (int i = 0; i < a.length; i++) {
                Param p = m.params.get(i);
                a[i] = p.shape != null ? array(p.shape, (double[]) p.value) : p.value;
            }
            return a;
        }

        /** The source method on the tape, at {@code args} (companion-style: arrays); returns its result. */
        Variable onTape(Object[] args, List<Variable> leaves) throws Throwable {
            Object[] a = args.clone();
            for (int i = 0; i < a.length; i++) {
                if (m.params.get(i).type == Type.TENSOR) {
                    Variable v = Variable.constant((INDArray) a[i]);
                    a[i] = v;
                    if (leaves != null) leaves.add(v);
                }
            }
            Tape.reset();
            return (Variable) call(src, null, a);
        }

        String describe(Object[] args) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < args.length; i++) {
                Param p = m.params.get(i);
                sb.append(i > 0 ? ", " : "").append(p.name).append(" = ");
                if (p.shape != null) {
                    sb.append("Nd4j.create(new double[] ").append(Arrays.toString((double[]) p.value).replace('[', '{').replace(']', '}'))
                            .append(", new long[] ").append(Arrays.toString(p.shape).replace('[', '{').replace(']', '}')).append(")");
                } else {
                    sb.append(args[i]);
                }
            }
            return sb.toString();
        }

        void run() throws Throwable {
            Object[] args = companionArgs();
            inputsOut[0] = describe(args);
            List<INDArray> saved = new ArrayList<>();
            for (Object a : args) saved.add(a instanceof INDArray x ? x.dup() : null);

            List<Variable> leaves = new ArrayList<>();
            Variable y;
            try {
                y = onTape(companionArgs(), leaves);
            } catch (RuntimeException rejected) {
                if (!valuesOnly) throw rejected;
                // (a mutant) the tape rejects these shapes or dims. The companion may still return a
                // value when the failing op is dead code it dropped (see fuzz-findings): no verdict.
                return;
            }
            INDArray ref = y.value();

            INDArray out = (INDArray) call(fwd, null, args);
            compare("forward " + m.name + "(...)", ref, out, Kind.TENSOR_VALUE);
            INDArray outNd4j = (INDArray) onNd4jPath(fwd, args);
            compare("forward " + m.name + "(...) on the ND4J path", ref, outNd4j, Kind.TENSOR_VALUE);

            List<Variable> diffLeaves = new ArrayList<>();
            for (Param p : diff) if (p.type == Type.TENSOR) diffLeaves.add(leaves.get(tensorIndex(p)));

            List<INDArray> results = new ArrayList<>();
            results.add(out);
            if (ref.rank() == 0) {
                Object g = call(grad, null, args);
                INDArray gv = (INDArray) accessor(g, "value");
                compare(m.name + "Gradient(...).value()", ref, gv, Kind.TENSOR_VALUE);
                List<Object> comps = components(g, diff.size());
                List<Variable> tape = Tape.grad(y, diffLeaves.toArray(new Variable[0]));
                int t = 0;
                for (int i = 0; i < diff.size(); i++) {
                    if (diff.get(i).type == Type.TENSOR) {
                        compareGradient(m.name + "Gradient(...)." + diff.get(i).name + "()", tape.get(t++).value(), (INDArray) comps.get(i),
                                args, diff.get(i), Nd4j.scalar(1.0));
                        results.add((INDArray) comps.get(i));
                    }
                }
                results.add(gv);
                // The ND4J path (where the call above took fused or matrix loops): the same answers.
                Object g2 = onNd4jPath(grad, args);
                compare(m.name + "Gradient(...).value() on the ND4J path", ref, (INDArray) accessor(g2, "value"), Kind.TENSOR_VALUE);
                List<Object> comps2 = components(g2, diff.size());
                t = 0;
                for (int i = 0; i < diff.size(); i++) {
                    if (diff.get(i).type == Type.TENSOR) {
                        compareGradient(m.name + "Gradient(...)." + diff.get(i).name + "() on the ND4J path", tape.get(t++).value(),
                                (INDArray) comps2.get(i), args, diff.get(i), Nd4j.scalar(1.0));
                    }
                }
            } else if (ref.length() > 1 && !valuesOnly) {
                try {
                    call(grad, null, args);
                    throw new Failure(Kind.API, m.name + "Gradient accepted a result of shape " + Arrays.toString(ref.shape()));
                } catch (IllegalArgumentException expected) {
                    // the contract: fGradient needs a scalar result
                }
            }

            INDArray u = random(ref.shape());
            INDArray uSaved = u.dup();
            Object v = call(vjp, null, args);
            compare(m.name + "Vjp(...).value()", ref, (INDArray) accessor(v, "value"), Kind.TENSOR_VALUE);
            java.lang.reflect.Method pull = find(v.getClass(), "pullback", INDArray.class);
            List<Object> pb1 = components(call(pull, v, u), diff.size());
            List<Object> pb1Saved = copies(pb1);
            // the tape is kept after grad: differentiate the same recording again, now against u
            List<Variable> tape = Tape.grad(y.mul(Variable.constant(u)).sum(), diffLeaves.toArray(new Variable[0]));
            List<INDArray> tapeGrads = new ArrayList<>();
            int t = 0;
            for (int i = 0; i < diff.size(); i++) {
                if (diff.get(i).type == Type.TENSOR) {
                    INDArray tg = tape.get(t++).value();
                    tapeGrads.add(tg);
                    compareGradient(m.name + "Vjp(...).pullback(u)." + diff.get(i).name + "()", tg, (INDArray) pb1.get(i), args, diff.get(i), u);
                } else {
                    tapeGrads.add(null);
                }
            }
            // inputs first: finite differences below start from them
            for (int i = 0; i < args.length; i++) {
                if (saved.get(i) != null && !exactlyEqual(saved.get(i), (INDArray) args[i])) {
                    throw new Failure(Kind.INPUT_WRITTEN, "input " + m.params.get(i).name + " was written: was "
                            + saved.get(i) + ", now " + args[i]);
                }
            }
            boolean finite = true;
            for (double d : ref.dup('c').data().asDouble()) finite &= Double.isFinite(d);
            // a value that overflowed (sin(exp(1e3)) is NaN) has no derivative to check against
            if (!valuesOnly && finite) {
                // the tape covers every element; finite differences check one parameter per method (the tape itself, too)
                if (!diff.isEmpty()) {
                    int i = r.nextInt(diff.size());
                    finiteDifferences(args, diff.get(i), pb1.get(i), tapeGrads.get(i), u);
                }
            }
            if (!valuesOnly && finite && !saturated) {
                INDArray u2 = random(ref.shape());
                List<Object> pb2 = copies(components(call(pull, v, u2), diff.size()));
                unchanged(pb1Saved, pb1, "the result of an earlier pullback changed when pullback was called again", Kind.ALIASING);
                INDArray u3 = u.add(u2.mul(2.5));
                List<Object> pb3 = components(call(pull, v, u3), diff.size());
                // the tape at u + 2.5 u2 arbitrates: when it agrees with the generated pullback there,
                // the two sides differ by rounding (cancelling terms far larger than the result)
                List<Variable> tape3 = Tape.grad(y.mul(Variable.constant(u3)).sum(), diffLeaves.toArray(new Variable[0]));
                int t3 = 0;
                for (int i = 0; i < diff.size(); i++) {
                    INDArray tapeAt3 = diff.get(i).type == Type.TENSOR ? tape3.get(t3++).value() : null;
                    Object a = pb1Saved.get(i), b = pb2.get(i), c = pb3.get(i);
                    String what = "pullback(u + 2.5 u2)." + diff.get(i).name + "() against pullback(u) + 2.5 pullback(u2)";
                    if (a instanceof INDArray ai) {
                        INDArray want = ai.add(((INDArray) b).mul(2.5));
                        if (!allFinite(want) || !allFinite((INDArray) c)) continue; // overflowed adjoints: no verdict
                        try {
                            compare(what, want, (INDArray) c, Kind.PULLBACK);
                        } catch (Failure f) {
                            try {
                                compare("", tapeAt3, (INDArray) c, Kind.PULLBACK);
                            } catch (Failure tapeDisagrees) {
                                throw f;
                            }
                        }
                    } else {
                        double want = (Double) a + 2.5 * (Double) b;
                        if (!close(want, (Double) c, 1e-9) && Math.abs(want - (Double) c) > 1e-9) {
                            throw new Failure(Kind.PULLBACK, what + ": expected " + want + ", got " + c);
                        }
                    }
                }
            }
            for (Object o : pb1) if (o instanceof INDArray x) results.add(x);

            for (int i = 0; i < args.length; i++) {
                if (saved.get(i) != null && !exactlyEqual(saved.get(i), (INDArray) args[i])) {
                    throw new Failure(Kind.INPUT_WRITTEN, "input " + m.params.get(i).name + " was written: was "
                            + saved.get(i) + ", now " + args[i]);
                }
            }
            if (!exactlyEqual(uSaved, u)) throw new Failure(Kind.INPUT_WRITTEN, "pullback wrote into its upstream");
            aliasing(args, results);
        }

        int tensorIndex(Param p) {
            int k = 0;
            for (Param q : m.params) {
                if (q == p) return k;
                if (q.type == Type.TENSOR) k++;
            }
            throw new IllegalStateException();
        }

        List<Object> copies(List<Object> xs) {
            List<Object> out = new ArrayList<>();
            for (Object x : xs) out.add(x instanceof INDArray a ? a.dup() : x);
            return out;
        }

        void unchanged(List<Object> before, List<Object> now, String what, Kind kind) {
            for (int i = 0; i < before.size(); i++) {
                if (before.get(i) instanceof INDArray b && !exactlyEqual(b, (INDArray) now.get(i))) {
                    throw new Failure(kind, what + ": " + diff.get(i).name + " was " + b + ", now " + now.get(i));
                }
            }
        }

        /** Writing into any result must change nothing else: no input, no other result. */
        void aliasing(Object[] args, List<INDArray> results) {
            List<INDArray> all = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof INDArray a) {
                    all.add(a);
                    names.add("input " + m.params.get(i).name);
                }
            }
            int inputs = all.size();
            for (int i = 0; i < results.size(); i++) {
                all.add(results.get(i));
                names.add("result #" + i);
            }
            for (int i = inputs; i < all.size(); i++) {
                INDArray target = all.get(i);
                List<INDArray> snapshot = new ArrayList<>();
                for (INDArray a : all) snapshot.add(a.dup());
                target.addi(1.0);
                for (int j = 0; j < all.size(); j++) {
                    if (j == i || all.get(j) == target) continue;
                    if (!exactlyEqual(snapshot.get(j), all.get(j))) {
                        throw new Failure(Kind.ALIASING, "writing into " + names.get(i) + " (of forward, gradient components, pullback components) changed "
                                + names.get(j));
                    }
                }
            }
        }

        /**
         * Central differences of {@code sum(f(...) * u)} on the tape, at a few elements of a tensor
         * parameter (all of a double one). An element whose tape gradient is not finite either is
         * an edge of the math (0 * inf), not a Tapeless bug: no verdict there.
         */
        void finiteDifferences(Object[] args, Param p, Object analytic, INDArray tapeGradient, INDArray u) throws Throwable {
            int at = m.params.indexOf(p);
            if (p.type == Type.DOUBLE) {
                double x = (Double) args[at];
                double[] d = new double[2];
                double noise = 0;
                double[] steps = {1e-5, 1e-6};
                for (int s = 0; s < 2; s++) {
                    double h = steps[s] * Math.max(1, Math.abs(x));
                    Object[] plus = args.clone(), minus = args.clone();
                    plus[at] = x + h;
                    minus[at] = x - h;
                    double lp = loss(plus, u), lm = loss(minus, u);
                    d[s] = (lp - lm) / (2 * h);
                    noise = Math.max(noise, 8 * Math.ulp(Math.max(Math.abs(lp), Math.abs(lm))) / (2 * h));
                }
                verdict(p.name, d, noise, (Double) analytic);
                return;
            }
            INDArray a = (INDArray) args[at];
            // row-major copies: getDouble(j) of a transposed view is not its j-th element in C order
            INDArray g = ((INDArray) analytic).dup('c');
            tapeGradient = tapeGradient.dup('c');
            long n = a.length();
            for (int k = 0; k < Math.min(2, n); k++) {
                long j = n <= 2 ? k : r.nextLong(n);
                if (!Double.isFinite(tapeGradient.getDouble(j))) continue;
                double[] d = differences(args, at, j, u);
                // the loss did not move at all: saturated (exp overflowed to inf, then 1 / inf = 0); the tape decides
                if (d[0] == 0 && d[1] == 0 && g.getDouble(j) == tapeGradient.getDouble(j)) {
                    saturated = true;
                    continue;
                }
                verdict(p.name + "[" + j + "]", d, d[2], g.getDouble(j));
            }
        }

        double loss(Object[] args, INDArray u) throws Throwable {
            Variable y = onTape(args, null);
            return y.value().mul(u).sumNumber().doubleValue();
        }

        void verdict(String name, double[] d, double noise, double analytic) {
            // sum(f * u) adds terms larger than itself: allow ten times the noise of a double method
            Verdict v = Checker.verdict(d, 10 * noise + 1e-5 * Math.abs(d[1]), analytic);
            if (v == Verdict.OVERFLOW) {
                throw new Failure(Kind.GRADIENT_OVERFLOW, "d/d" + name + " is " + analytic + " but finite differences give " + d[1]);
            }
            if (v == Verdict.WRONG) {
                throw new Failure(Kind.GRADIENT_VS_FINITE_DIFFERENCES, "d/d" + name + " of sum(f(...) * u)\n  expected (finite differences): "
                        + d[1] + " (and " + d[0] + ")\n  actual (generated pullback): " + analytic);
            }
        }

        /**
         * A gradient against the tape's. Where they differ, central differences decide: a tape
         * gradient that rounding made exactly 0 where the generated one is 1e-17 times a huge
         * downstream derivative is no bug; a generated gradient that finite differences contradict is.
         */
        void compareGradient(String what, INDArray expected, INDArray actual, Object[] args, Param p, INDArray u) throws Throwable {
            try {
                compare(what, expected, actual, Kind.GRADIENT_VS_TAPE);
            } catch (Failure f) {
                if (!Arrays.equals(expected.shape(), actual.shape()) || actual.dataType() != expected.dataType()) throw f;
                double[] e = expected.dup('c').data().asDouble();
                double[] a = actual.dup('c').data().asDouble();
                int at = m.params.indexOf(p);
                for (int j = 0; j < e.length; j++) {
                    if (same(e[j], a[j]) || (Double.isFinite(e[j]) && Double.isFinite(a[j])
                            && Math.abs(e[j] - a[j]) <= TAPE_TOLERANCE * Math.max(1, Math.abs(e[j])))) continue;
                    double[] fd = differences(args, at, j, u);
                    // the tape's exact 0, flat finite differences, and NaN or infinity generated: a dead
                    // adjoint carried through a loop (a known bug)
                    if (KnownBugs.DEAD_ADJOINT_IN_LOOP && e[j] == 0 && !Double.isFinite(a[j]) && fd[0] == 0 && fd[1] == 0) {
                        throw new KnownBugHit();
                    }
                    Verdict v = Checker.verdict(fd, fd[2], a[j]);
                    if (v == Verdict.WRONG || v == Verdict.OVERFLOW) {
                        throw new Failure(Kind.GRADIENT_VS_TAPE, f.getMessage() + "\n  finite differences at element " + j + ": " + fd[1]
                                + " (and " + fd[0] + ")");
                    }
                }
            }
        }

        /** Central differences of sum(f * u) in element j of argument at: {step 1e-5, step 1e-6, rounding noise}. */
        double[] differences(Object[] args, int at, long j, INDArray u) throws Throwable {
            double[] d = new double[3];
            INDArray a = ((INDArray) args[at]).dup('c');
            double x = a.getDouble(j);
            for (int s = 0; s < 2; s++) {
                double h = (s == 0 ? 1e-5 : 1e-6) * Math.max(1, Math.abs(x));
                Object[] plus = args.clone(), minus = args.clone();
                INDArray ap = a.dup(), am = a.dup();
                ap.putScalar(j, x + h);
                am.putScalar(j, x - h);
                plus[at] = ap;
                minus[at] = am;
                double lp = loss(plus, u), lm = loss(minus, u);
                d[s] = (lp - lm) / (2 * h);
                d[2] = Math.max(d[2], 8 * Math.ulp(Math.max(Math.abs(lp), Math.abs(lm))) / (2 * h));
            }
            return d;
        }

        void compare(String what, INDArray expected, INDArray actual, Kind kind) {
            if (actual == null) throw new Failure(kind, what + " is null");
            if (!Arrays.equals(expected.shape(), actual.shape())) {
                throw new Failure(kind, what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                        + Arrays.toString(expected.shape()));
            }
            if (actual.dataType() != expected.dataType()) {
                throw new Failure(kind, what + ": data type " + actual.dataType() + ", expected " + expected.dataType());
            }
            double[] e = expected.dup('c').data().asDouble();
            double[] a = actual.dup('c').data().asDouble();
            for (int i = 0; i < e.length; i++) {
                if (same(e[i], a[i])) continue;
                boolean ok = Double.isFinite(e[i]) && Double.isFinite(a[i])
                        && Math.abs(e[i] - a[i]) <= TAPE_TOLERANCE * Math.max(1, Math.abs(e[i]));
                if (!ok) {
                    throw new Failure(kind, what + " differs at element " + i + "\n  expected (tape): " + e[i]
                            + "\n  actual (generated): " + a[i] + "\n  expected " + expected + "\n  actual " + actual);
                }
            }
        }
    }

    static boolean allFinite(INDArray a) {
        for (double d : a.dup('c').data().asDouble()) if (!Double.isFinite(d)) return false;
        return true;
    }

    static boolean exactlyEqual(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) return false;
        double[] x = a.dup('c').data().asDouble(), y = b.dup('c').data().asDouble();
        for (int i = 0; i < x.length; i++) if (!same(x[i], y[i])) return false;
        return true;
    }
}
