package dev.tapeless.examples.ops;

import static dev.tapeless.examples.ops.Inputs.shape;

import dev.tapeless.examples.ops.Inputs.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The elementwise functions and the ops with a constant operand, on ranks 0 to 3. Inputs stay
 * inside each function's domain and away from its kinks (those are {@link KinksTest}'s).
 */
class UnaryOpsTest {

    static final List<long[]> SHAPES = List.of(shape(), shape(5), shape(3, 4), shape(2, 3, 4));

    static final Map<String, Domain> OPS = Map.ofEntries(
            Map.entry("neg", Domain.ANY), Map.entry("exp", Domain.ANY), Map.entry("log", Domain.POSITIVE),
            Map.entry("sqrt", Domain.POSITIVE), Map.entry("abs", Domain.NONZERO), Map.entry("sin", Domain.ANY),
            Map.entry("cos", Domain.ANY), Map.entry("tanh", Domain.ANY), Map.entry("sigmoid", Domain.ANY),
            Map.entry("relu", Domain.NONZERO), Map.entry("pow2", Domain.ANY), Map.entry("pow3", Domain.ANY),
            Map.entry("powHalf", Domain.POSITIVE), Map.entry("powMinus1", Domain.NONZERO),
            Map.entry("pow1", Domain.ANY), Map.entry("pow0", Domain.NONZERO),
            Map.entry("addC", Domain.ANY), Map.entry("subC", Domain.ANY), Map.entry("mulC", Domain.ANY),
            Map.entry("divC", Domain.ANY), Map.entry("rsubC", Domain.ANY), Map.entry("rdivC", Domain.NONZERO));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String op : OPS.keySet().stream().sorted().toList()) {
            for (long[] s : SHAPES) {
                for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                    out.add(Arguments.of(op, Inputs.str(s), type, s));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}({1}) {2}")
    @MethodSource("cases")
    void generatedGradientMatchesTapeAndFiniteDifferences(String op, String label, DataType type, long[] shape) {
        Random rng = new Random(op.hashCode() * 31L + label.hashCode());
        Verify.op(OpCatalogue.op(op), List.of(Inputs.array(rng, type, shape, OPS.get(op))), rng.nextLong());
    }
}
