package dev.tapeless.examples.ops;

import static dev.tapeless.examples.ops.Inputs.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code mmul} in its four forms, {@code transpose} on ranks 0 to 3, {@code reshape} (with an
 * inferred size), {@code expand} from every shape that broadcasts, and {@code softmax} and
 * {@code logSoftmax} along each dim, negative ones included.
 */
class ShapeOpsTest {

    static final List<Object[]> CASES = List.of(
            new Object[] {"mmul", shape(3, 4), shape(4, 5)},
            new Object[] {"mmul", shape(3, 4), shape(4)},
            new Object[] {"mmul", shape(4), shape(4, 5)},
            new Object[] {"mmul", shape(4), shape(4)},
            new Object[] {"mmul", shape(1, 4), shape(4, 1)},
            new Object[] {"mmul", shape(3, 1), shape(1, 2)},
            new Object[] {"transpose", shape()},
            new Object[] {"transpose", shape(5)},
            new Object[] {"transpose", shape(3, 4)},
            new Object[] {"transpose", shape(2, 3, 4)},
            new Object[] {"reshape26", shape(3, 4)},
            new Object[] {"reshape26", shape(12)},
            new Object[] {"reshape26", shape(2, 3, 2)},
            new Object[] {"reshapeInfer3", shape(3, 4)},
            new Object[] {"reshapeInfer3", shape(2, 3, 2)},
            new Object[] {"reshapeFlat", shape()},
            new Object[] {"reshapeFlat", shape(3, 4)},
            new Object[] {"reshapeFlat", shape(2, 3, 4)},
            new Object[] {"expand34", shape()},
            new Object[] {"expand34", shape(4)},
            new Object[] {"expand34", shape(3, 1)},
            new Object[] {"expand34", shape(1, 4)},
            new Object[] {"expand34", shape(1, 1)},
            new Object[] {"expand34", shape(3, 4)},
            new Object[] {"expand234", shape()},
            new Object[] {"expand234", shape(4)},
            new Object[] {"expand234", shape(3, 1)},
            new Object[] {"expand234", shape(2, 1, 4)},
            new Object[] {"expand234", shape(2, 3, 4)},
            new Object[] {"softmax0", shape(4)},
            new Object[] {"softmax0", shape(3, 4)},
            new Object[] {"softmax0", shape(2, 3, 4)},
            new Object[] {"softmax1", shape(3, 4)},
            new Object[] {"softmax1", shape(2, 3, 4)},
            new Object[] {"softmaxLast", shape(4)},
            new Object[] {"softmaxLast", shape(3, 4)},
            new Object[] {"softmaxLast", shape(2, 3, 4)},
            new Object[] {"softmaxLast", shape(1)},
            new Object[] {"logSoftmax0", shape(4)},
            new Object[] {"logSoftmax0", shape(3, 4)},
            new Object[] {"logSoftmax0", shape(2, 3, 4)},
            new Object[] {"logSoftmax1", shape(3, 4)},
            new Object[] {"logSoftmax1", shape(2, 3, 4)},
            new Object[] {"logSoftmaxLast", shape(4)},
            new Object[] {"logSoftmaxLast", shape(3, 4)},
            new Object[] {"logSoftmaxLast", shape(2, 3, 4)},
            new Object[] {"logSoftmaxLast", shape(1)});

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] c : CASES) {
            StringBuilder label = new StringBuilder();
            for (int i = 1; i < c.length; i++) label.append(i > 1 ? ", " : "").append(Inputs.str((long[]) c[i]));
            for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                out.add(Arguments.of(c[0], label.toString(), type, c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}({1}) {2}")
    @MethodSource("cases")
    void generatedGradientMatchesTapeAndFiniteDifferences(String op, String label, DataType type, Object[] c) {
        Random rng = new Random(op.hashCode() * 31L + label.hashCode());
        List<org.nd4j.linalg.api.ndarray.INDArray> inputs = new ArrayList<>();
        for (int i = 1; i < c.length; i++) inputs.add(Inputs.array(rng, type, (long[]) c[i], Inputs.Domain.ANY));
        Verify.op(OpCatalogue.op(op), inputs, rng.nextLong());
    }
}
