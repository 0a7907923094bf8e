package dev.tapeless.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.check.DifferentiatedMethod;
import dev.tapeless.runtime.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GradientCheck.check against hostile calls: wrong counts and types, FLOAT arrays (never written),
 * views and column-major inputs, and double methods whose generated value must be the source's
 * bits on signed zeros, NaN, infinities, subnormals and expressions a folder could rewrite.
 */
class GradientCheckAdversarialTest {

    static DifferentiatedMethod m(String members, String constant) throws Exception {
        Loaded l = DescribedMethodAdversarialTest.ok(Sources.classT(members));
        return DescribedMethodAdversarialTest.constant(l, "test.TDerivatives", constant);
    }

    @Test
    void r01_wrongArgumentCountsAndTypes() throws Exception {
        DifferentiatedMethod f = m("""
                @Differentiable static double f(double x, double[] ys) { return x * ys[0]; }
                """, "F");
        var e1 = assertThrows(IllegalArgumentException.class, () -> GradientCheck.check(f, 1.0));
        assertEquals("T.f takes 2 arguments [x, ys], got 1", e1.getMessage());
        // Each wrong type names its parameter and what to pass (they were bare ClassCastExceptions and NPEs).
        assertEquals("T.f: pass a double (write 1.0, not 1) for parameter x, got Integer", assertThrows(
                IllegalArgumentException.class, () -> GradientCheck.check(f, 1, new double[] {2})).getMessage());
        assertEquals("T.f: pass a double[] for parameter ys, got float[]", assertThrows(
                IllegalArgumentException.class, () -> GradientCheck.check(f, 1.0, new float[] {2})).getMessage());
        assertEquals("T.f: pass a double (write 1.0, not 1) for parameter x, got null", assertThrows(
                IllegalArgumentException.class, () -> GradientCheck.check(f, null, new double[] {2})).getMessage());
        DifferentiatedMethod g = m("""
                @Differentiable static Variable g(Variable x, double s) { return x.mul(s).sum(); }
                """, "G");
        Throwable e5 = assertThrows(RuntimeException.class, () -> GradientCheck.check(g, new double[] {1, 2}, 2.0));
        assertEquals("T.g: pass an INDArray for parameter x, got double[]", e5.getMessage());
        assertThrows(RuntimeException.class, () -> GradientCheck.check(g, Nd4j.createFromArray(1.0, 2.0), 2));
        Throwable e7 = assertThrows(RuntimeException.class, () -> GradientCheck.check(g, Nd4j.createFromArray(1.0, 2.0)));
        assertEquals("T.g takes 2 arguments [x, s], got 1", e7.getMessage());
    }

    @Test
    void r02_floatArraysAndCallerArraysUntouched() throws Exception {
        DifferentiatedMethod g = m("""
                @Differentiable static Variable g(Variable x, Variable w, INDArray data) {
                    return x.mmul(w).mul(Variable.constant(data)).tanh();
                }
                """, "G");
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4);
        INDArray w = Nd4j.rand(DataType.FLOAT, 4, 2);
        INDArray data = Nd4j.rand(DataType.FLOAT, 3, 2);
        INDArray x0 = x.dup(), w0 = w.dup(), d0 = data.dup();
        GradientCheck.Report r = GradientCheck.check(g, x, w, data);
        r.assertWithin(2e-2);
        assertEquals(x0, x);
        assertEquals(w0, w);
        assertEquals(d0, data);
    }

    @Test
    void r03_viewsAndFortranOrderInputs() throws Exception {
        DifferentiatedMethod g = m("""
                @Differentiable static Variable g(Variable x, Variable w) {
                    return x.mmul(w).add(x.mul(x).sum(1).reshape(3, 1)).exp().sum();
                }
                """, "G");
        INDArray big = Nd4j.rand(DataType.DOUBLE, 5, 4).muli(0.5);
        INDArray x = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray w = Nd4j.rand(DataType.DOUBLE, 2, 4).muli(0.5).transpose();
        assertTrue(x.isView() && w.ordering() == 'f');
        GradientCheck.Report r = GradientCheck.check(g, x, w);
        r.assertWithin(1e-6);
    }

    @Test
    void r04_bitExactForwardOnSpecialValues() throws Exception {
        DifferentiatedMethod f = m("""
                @Differentiable static double f(double x, double y) {
                    double a = x * 0 + y * 1;
                    double b = x - x;
                    double c = x * 0.1 * 10 + (x + 0.1 + 0.2);
                    double d = -(-x) + (0 - y);
                    double e = x / 3 * 3;
                    return a + b + c + d + e + x * 2 * 3 + y + 0.0;
                }
                """, "F");
        double[] xs = {-2.0, 1.7, -0.0, 0.0, 1e308, 3e-320};
        for (double x : xs) {
            for (double y : new double[] {-0.0, 0.3, -5.5}) {
                double source = (Double) f.source(x, y);
                double forward = (Double) f.forward(x, y);
                double value = (Double) f.gradient(x, y).get(0);
                double pulled = (Double) f.pullback(1.0, x, y).get(0);
                assertEquals(0, Double.compare(source, forward), "forward at " + x + ", " + y);
                assertEquals(0, Double.compare(source, value), "gradient value at " + x + ", " + y);
                assertEquals(0, Double.compare(source, pulled), "pullback value at " + x + ", " + y);
            }
        }
    }

    @Test
    void r05_bitExactSignOfZero() throws Exception {
        Loaded l = DescribedMethodAdversarialTest.ok(Sources.classT("""
                @Differentiable static double f(double x, double y) { return x * 0 + y * 0; }
                @Differentiable static double g(double x) { double s = 0; s += x; return s; }
                @Differentiable static double h(double x) { return 0 - x + x * 1; }
                @Differentiable static double k(double x) { return x + 0; }
                @Differentiable static double n(double x) { return Math.max(x, 0) * x - 0 * x; }
                @Differentiable static double p(double x) { double s = -0.0; for (int i = 0; i < 3; i++) s += x; return s; }
                """));
        StringBuilder bad = new StringBuilder();
        for (String name : new String[] {"F", "G", "H", "K", "N", "P"}) {
            DifferentiatedMethod d = DescribedMethodAdversarialTest.constant(l, "test.TDerivatives", name);
            for (double x : new double[] {-0.0, 0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                Object[] args = d.parameters().size() == 2 ? new Object[] {x, -1.0} : new Object[] {x};
                double s = (Double) d.source(args);
                double fw = (Double) d.forward(args);
                double gv = (Double) d.gradient(args).get(0);
                if (Double.compare(s, fw) != 0 || Double.compare(s, gv) != 0) {
                    bad.append(name).append(" at ").append(x).append(": source ").append(s).append(" forward ").append(fw)
                            .append(" gradient value ").append(gv).append('\n');
                }
            }
        }
        assertEquals("", bad.toString());
    }
}
