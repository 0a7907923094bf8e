package dev.tapeless.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bad input gives an IllegalArgumentException whose message names the op and the shapes (or
 * data types), never a native ND4J message; and a failed op records nothing.
 */
class VariableErrorsTest {

    private static final Map<String, BiFunction<Variable, Variable, Variable>> BINARY = Map.of(
            "add", Variable::add, "sub", Variable::sub, "mul", Variable::mul,
            "div", Variable::div, "rsub", Variable::rsub, "rdiv", Variable::rdiv);

    private final Variable m34 = Variable.constant(Nd4j.zeros(DataType.DOUBLE, 3, 4));
    private final Variable m24 = Variable.constant(Nd4j.zeros(DataType.DOUBLE, 2, 4));
    private final Variable v3 = Variable.constant(Nd4j.zeros(DataType.DOUBLE, 3));
    private final Variable scalar = Variable.constant(Nd4j.scalar(1.0));
    private final Variable f34 = Variable.constant(Nd4j.zeros(DataType.FLOAT, 3, 4));

    @BeforeEach
    void reset() {
        Tape.reset();
    }

    /** Asserts the exact message, and that nothing was recorded. */
    private static void assertMessage(String expected, Executable call) {
        int size = Tape.size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
        assertEquals(size, Tape.size(), "a failed op records nothing");
    }

    @Test
    void shapesThatDoNotBroadcast() {
        for (Map.Entry<String, BiFunction<Variable, Variable, Variable>> op : BINARY.entrySet()) {
            String name = op.getKey();
            assertMessage(name + ": shapes [3, 4] and [2, 4] do not broadcast",
                    () -> op.getValue().apply(m34, m24));
            assertMessage(name + ": shapes [3, 4] and [3] do not broadcast",
                    () -> op.getValue().apply(m34, v3));
            assertMessage(name + ": shapes [3] and [3, 4] do not broadcast",
                    () -> op.getValue().apply(v3, m34));
        }
        Variable t = Variable.constant(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4));
        assertMessage("mul: shapes [2, 3, 4] and [2, 4] do not broadcast", () -> t.mul(m24));
    }

    @Test
    void nullOperands() {
        for (Map.Entry<String, BiFunction<Variable, Variable, Variable>> op : BINARY.entrySet()) {
            assertMessage(op.getKey() + ": operand is null", () -> op.getValue().apply(m34, null));
        }
        assertMessage("mmul: operand is null", () -> m34.mmul(null));
        assertMessage("constant: value is null", () -> Variable.constant(null));
        assertMessage("constant: value is null", () -> Variable.constant(null, "x"));
        assertMessage("reshape: shape is null", () -> m34.reshape((long[]) null));
        assertMessage("expand: shape is null", () -> m34.expand((long[]) null));
        assertMessage("sum: dims is null", () -> m34.sum((int[]) null));
        assertMessage("mean: dims is null", () -> m34.mean(true, (int[]) null));
    }

    @Test
    void mixedDataTypes() {
        Variable d34 = m34;
        for (Map.Entry<String, BiFunction<Variable, Variable, Variable>> op : BINARY.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> op.getValue().apply(f34, d34));
            assertTrue(e.getMessage().startsWith(op.getKey() + ": data types FLOAT and DOUBLE differ"),
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Variable.constant(Nd4j.zeros(DataType.DOUBLE, 4, 2)).mmul(f34));
        assertTrue(e.getMessage().startsWith("mmul: data types DOUBLE and FLOAT differ"), e.getMessage());
        assertEquals(0, Tape.size());
    }

    @Test
    void nonFloatingPointConstant() {
        INDArray ints = Nd4j.createFromArray(new int[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variable.constant(ints));
        assertTrue(e.getMessage().startsWith("constant: data type INT is not a floating-point type"),
                e.getMessage());
    }

    @Test
    void mmulShapes() {
        Variable m45 = Variable.constant(Nd4j.zeros(DataType.DOUBLE, 4, 5));
        Variable m52 = Variable.constant(Nd4j.zeros(DataType.DOUBLE, 5, 2));
        Variable v4 = Variable.constant(Nd4j.zeros(DataType.DOUBLE, 4));
        Variable t = Variable.constant(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4));
        assertMessage("mmul: shapes [3, 4] and [5, 2] do not match: inner sizes 4 and 5 differ",
                () -> m34.mmul(m52));
        assertMessage("mmul: shapes [3, 4] and [3] do not match: inner sizes 4 and 3 differ",
                () -> m34.mmul(v3));
        assertMessage("mmul: shapes [4] and [3, 4] do not match: inner sizes 4 and 3 differ",
                () -> v4.mmul(m34));
        assertMessage("mmul: shapes [4] and [3] do not match: inner sizes 4 and 3 differ",
                () -> v4.mmul(v3));
        assertMessage("mmul: operands must have rank 1 or 2, got shapes [] and [3, 4]",
                () -> scalar.mmul(m34));
        assertMessage("mmul: operands must have rank 1 or 2, got shapes [2, 3, 4] and [4, 5]",
                () -> t.mmul(m45));
    }

    @Test
    void reductionDims() {
        assertMessage("sum: dim 2 is out of range for shape [3, 4]", () -> m34.sum(2));
        assertMessage("sum: dim -3 is out of range for shape [3, 4]", () -> m34.sum(true, -3));
        assertMessage("mean: dim 0 is out of range for shape []", () -> scalar.mean(0));
        assertMessage("sum: dim -1 is repeated in [1, -1] for shape [3, 4]", () -> m34.sum(1, -1));
        assertMessage("mean: dim 0 is repeated in [0, 0] for shape [3, 4]", () -> m34.mean(0, 0));
    }

    @Test
    void softmaxDims() {
        assertMessage("softmax: dim 2 is out of range for shape [3, 4]", () -> m34.softmax(2));
        assertMessage("logSoftmax: dim -3 is out of range for shape [3, 4]", () -> m34.logSoftmax(-3));
        assertMessage("softmax: dim 0 is out of range for shape []", () -> scalar.softmax(0));
    }

    @Test
    void reshapeShapes() {
        assertMessage("reshape: cannot reshape [3, 4] (12 elements) to [5, 2] (10 elements)",
                () -> m34.reshape(5, 2));
        assertMessage("reshape: cannot reshape [3, 4] (12 elements) to [5, -1]", () -> m34.reshape(5, -1));
        assertMessage("reshape: cannot reshape [3, 4] (12 elements) to [0, -1]", () -> m34.reshape(0, -1));
        assertMessage("reshape: cannot reshape [3, 4] to [-1, -1]: only one size may be -1 and none may be negative",
                () -> m34.reshape(-1, -1));
        assertMessage("reshape: cannot reshape [3, 4] to [-2, -6]: only one size may be -1 and none may be negative",
                () -> m34.reshape(-2, -6));
        assertMessage("reshape: cannot reshape [3] (3 elements) to [] (1 elements)", () -> v3.reshape());
    }

    @Test
    void expandShapes() {
        assertMessage("expand: cannot expand shape [3, 4] to [3, 5]", () -> m34.expand(3, 5));
        assertMessage("expand: cannot expand shape [3, 4] to [4]", () -> m34.expand(4));
        assertMessage("expand: cannot expand shape [3, 4] to [2, 4]", () -> m34.expand(2, 4));
        assertMessage("expand: cannot expand shape [3] to [3, 4]", () -> v3.expand(3, 4));
        assertMessage("expand: cannot expand shape [3] to [-1, 3]", () -> v3.expand(-1, 3));
        assertMessage("expand: cannot expand shape [3, 4] to []", () -> m34.expand());
    }

    @Test
    void theMessagesAreOursNotNd4js() {
        // A sample of calls that ND4J itself would reject with its own wording.
        List<Executable> calls = List.of(() -> m34.add(v3), () -> m34.mmul(m34), () -> m34.sum(5),
                () -> m34.reshape(7), () -> v3.expand(2, 4), () -> m34.logSoftmax(3));
        for (Executable call : calls) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().matches("^(add|mmul|sum|reshape|expand|logSoftmax): .*"), e.getMessage());
            assertTrue(e.getMessage().contains("["), "names a shape: " + e.getMessage());
        }
    }
}
