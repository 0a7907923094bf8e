package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.tapeless.processor.ad.Rules;
import dev.tapeless.processor.ir.Op;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every derivative rule is broken on purpose, one operand at a time (its adjoint scaled by 1.25),
 * and a gradient check of a small method that uses it must then fail; with the rule intact it
 * must pass. So a rule added to {@link Rules} without a method here fails this test, and a gradient
 * check that could not see a wrong rule would fail it too. The check compares the generated gradient
 * with central finite differences of the generated forward pass (which no rule touches).
 */
class RuleMutationTest {
    private static final double BROKEN = 1.25;

    /** For each op: the body of a method of (x, y) that differentiates it, double or tensor. */
    private static final Map<Op, String> USES = Map.ofEntries(
            Map.entry(Op.ADD, "return x * (x + y);"),
            Map.entry(Op.SUB, "return x * (x - y);"),
            Map.entry(Op.MUL, "return x * y;"),
            Map.entry(Op.DIV, "return x / y;"),
            Map.entry(Op.POW, "return Math.pow(x, y);"),
            Map.entry(Op.ATAN2, "return Math.atan2(x, y);"),
            Map.entry(Op.HYPOT, "return Math.hypot(x, y);"),
            Map.entry(Op.MIN, "return Math.min(x, y) * x;"),
            Map.entry(Op.MAX, "return Math.max(x, y) * x;"),
            Map.entry(Op.NEG, "return -x * y;"),
            Map.entry(Op.EXP, "return Math.exp(x) * y;"),
            Map.entry(Op.LOG, "return Math.log(x) * y;"),
            Map.entry(Op.SQRT, "return Math.sqrt(x) * y;"),
            Map.entry(Op.ABS, "return Math.abs(x) * y;"),
            Map.entry(Op.SIN, "return Math.sin(x) * y;"),
            Map.entry(Op.COS, "return Math.cos(x) * y;"),
            Map.entry(Op.TAN, "return Math.tan(x) * y;"),
            Map.entry(Op.ASIN, "return Math.asin(x) * y;"),
            Map.entry(Op.ACOS, "return Math.acos(x) * y;"),
            Map.entry(Op.ATAN, "return Math.atan(x) * y;"),
            Map.entry(Op.SINH, "return Math.sinh(x) * y;"),
            Map.entry(Op.COSH, "return Math.cosh(x) * y;"),
            Map.entry(Op.TANH, "return Math.tanh(x) * y;"),
            Map.entry(Op.EXPM1, "return Math.expm1(x) * y;"),
            Map.entry(Op.LOG10, "return Math.log10(x) * y;"),
            Map.entry(Op.LOG1P, "return Math.log1p(x) * y;"),
            Map.entry(Op.CBRT, "return Math.cbrt(x) * y;"),
            Map.entry(Op.SELECT, "return x > y ? x * y : y * y;"),
            Map.entry(Op.SIGMOID, "return x.sigmoid().mul(y).sum();"),
            Map.entry(Op.RELU, "return x.relu().mul(y).sum();"),
            Map.entry(Op.SUM, "return x.mul(y).sum(1).mul(x.sum(1)).sum();"),
            Map.entry(Op.MEAN, "return x.mul(y).mean(0).mul(x.mean(0)).sum();"),
            Map.entry(Op.MMUL, "return x.mmul(y.transpose()).mul(x.mmul(y.transpose())).sum();"),
            Map.entry(Op.TRANSPOSE, "return x.transpose().mmul(y).mul(x.transpose().mmul(x)).sum();"),
            Map.entry(Op.RESHAPE, "return x.reshape(3, 2).mmul(y).mul(x.reshape(3, 2).mmul(x)).sum();"),
            Map.entry(Op.EXPAND, "return x.sum(true, 0).expand(2, 3).mul(y).mul(x).sum();"),
            Map.entry(Op.SOFTMAX, "return x.softmax(1).mul(y).sum();"),
            Map.entry(Op.SLICE, "return x.slice(1).mul(y.slice(0)).mul(x.slice(1)).sum();"),
            Map.entry(Op.LOG_SOFTMAX, "return x.logSoftmax(1).mul(y).sum();"));

    /** Points where no operand's adjoint is zero by accident (min and max take each side once). */
    private static final double[][] DOUBLE_POINTS = {{0.7, 0.4}, {0.3, 0.9}};

    static Stream<Arguments> brokenRules() {
        List<Arguments> out = new ArrayList<>();
        Rules.table().forEach((op, operands) -> {
            for (int k = 0; k < operands; k++) {
                if (op == Op.SELECT && k == 0) continue; // the condition, a boolean, has no adjoint
                if (op == Op.SLICE && k == 1) continue; // the index, an int, has none either
                out.add(Arguments.of(op, k));
            }
        });
        return out.stream();
    }

    @Test
    void everyRuleHasAMethodThatUsesIt() {
        Set<Op> missing = new TreeSet<>(Rules.table().keySet());
        missing.removeAll(USES.keySet());
        assertEquals(Set.of(), missing, "add a method using each op to USES");
    }

    @ParameterizedTest(name = "{0}, operand {1}")
    @MethodSource("brokenRules")
    void aBrokenRuleFailsTheGradientCheckAndTheIntactOnePassesIt(Op op, int operand) throws Exception {
        String body = USES.get(op);
        assertTrue(body != null, "no method uses " + op);
        assertTrue(worstError(body) < 1e-6, op + " intact: the check passes");
        try (AutoCloseable broken = Rules.breakForTesting(op, operand, BROKEN)) {
            assertTrue(worstError(body) > 1e-3, op + " operand " + operand + " broken: the check must fail");
        }
    }

    /** The worst relative difference between the generated gradient and finite differences. */
    private static double worstError(String body) throws Exception {
        boolean tensor = body.contains(".sum()");
        String type = tensor ? "Variable" : "double";
        JavaFileObject source = JavaFileObjects.forSourceString("m.M", """
                package m;
                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;
                public class M {
                    @Differentiable
                    public static %s f(%s x, %s y) {
                        %s
                    }
                }
                """.formatted(type, type, type, body));
        Compilation c = Compiler.javac().withProcessors(new TapelessProcessor()).compile(source);
        assertThat(c).succeeded();
        Class<?> companion = Sources.load(c, "m.MDerivatives");
        return tensor ? worstTensorError(companion) : worstDoubleError(companion);
    }

    private static double worstDoubleError(Class<?> companion) throws Exception {
        Method f = companion.getMethod("f", double.class, double.class);
        Method gradient = companion.getMethod("fGradient", double.class, double.class);
        double worst = 0;
        for (double[] p : DOUBLE_POINTS) {
            Object g = gradient.invoke(null, p[0], p[1]);
            RecordComponent[] parts = g.getClass().getRecordComponents();
            for (int i = 0; i < 2; i++) {
                double h = 1e-6;
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[i] += h;
                minus[i] -= h;
                double numeric = ((double) f.invoke(null, plus[0], plus[1]) - (double) f.invoke(null, minus[0], minus[1])) / (2 * h);
                double generated = (double) parts[i + 1].getAccessor().invoke(g);
                worst = Math.max(worst, Math.abs(numeric - generated) / Math.max(1, Math.abs(numeric)));
            }
        }
        return worst;
    }

    private static double worstTensorError(Class<?> companion) throws Exception {
        Method f = companion.getMethod("f", INDArray.class, INDArray.class);
        Method gradient = companion.getMethod("fGradient", INDArray.class, INDArray.class);
        INDArray[] point = {
            Nd4j.createFromArray(new double[][] {{0.7, -0.4, 0.2}, {0.5, 0.9, -0.3}}),
            Nd4j.createFromArray(new double[][] {{0.3, 0.8, -0.6}, {-0.2, 0.4, 1.1}}),
        };
        Object g = gradient.invoke(null, point[0], point[1]);
        RecordComponent[] parts = g.getClass().getRecordComponents();
        double worst = 0;
        for (int i = 0; i < 2; i++) {
            INDArray generated = (INDArray) parts[i + 1].getAccessor().invoke(g);
            // By row and column: a gradient may come back in column-major order (ND4J's gemm writes it so).
            for (int row = 0; row < 2; row++) {
                for (int col = 0; col < 3; col++) {
                    double h = 1e-6;
                    INDArray[] plus = {point[0].dup(), point[1].dup()};
                    INDArray[] minus = {point[0].dup(), point[1].dup()};
                    plus[i].putScalar(new long[] {row, col}, point[i].getDouble(row, col) + h);
                    minus[i].putScalar(new long[] {row, col}, point[i].getDouble(row, col) - h);
                    double numeric = (((INDArray) f.invoke(null, plus[0], plus[1])).getDouble(0)
                            - ((INDArray) f.invoke(null, minus[0], minus[1])).getDouble(0)) / (2 * h);
                    double analytic = generated.getDouble(row, col);
                    worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1, Math.abs(numeric)));
                }
            }
        }
        assertEquals(DataType.DOUBLE, point[0].dataType());
        return worst;
    }
}
