package dev.tapeless.examples;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.OpCounter;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The seed experiment's loss on the runtime tape and in generated code, side by side: values,
 * gradients, op counts and time per call. Run with
 * {@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.tapeless.examples.SeedDemo}.
 */
public final class SeedDemo {
    private SeedDemo() {}

    public static void main(String[] args) {
        Nd4j.getRandom().setSeed(42);
        INDArray a = Nd4j.rand(DataType.DOUBLE, 10);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 10);

        // On the tape: the annotated method itself, recorded and walked backwards.
        Tape.reset();
        Variable va = Variable.constant(a, "a");
        Variable vb = Variable.constant(b, "b");
        Variable loss = Seed.loss(va, vb);
        List<Variable> tape = Tape.grad(loss, va, vb);
        Tape.reset();

        // Generated at compile time: straight-line ND4J code.
        SeedDerivatives.LossGradient g = SeedDerivatives.lossGradient(a, b);

        System.out.println("Tapeless: loss(a, b) = ((a + b) * b).sum() on length-10 inputs");
        System.out.printf("  value            tape %.12f   generated %.12f%n", loss.value().getDouble(0), g.value().getDouble(0));
        GradientCheck.Report report = GradientCheck.of(v -> Seed.loss(v.get(0), v.get(1)),
                x -> {
                    var r = SeedDerivatives.lossGradient(x.get(0), x.get(1));
                    return List.of(r.value(), r.a(), r.b());
                }, List.of("a", "b"), List.of(a, b));
        System.out.printf("  worst gradient difference: %.3g (vs tape and central finite differences)%n", report.worst());
        System.out.printf("  d/da = b: %s   d/db = a + 2b: %s%n",
                g.a().equals(tape.get(0).value()), g.b().equals(a.add(b.mul(2))));

        long tapeOps = OpCounter.countOps(() -> {
            Tape.reset();
            Variable x = Variable.constant(a);
            Variable y = Variable.constant(b);
            Tape.grad(Seed.loss(x, y), x, y);
            Tape.reset();
        });
        long forwardOps = OpCounter.count(() -> SeedDerivatives.loss(a, b)).ops();
        long gradientOps = OpCounter.count(() -> SeedDerivatives.lossGradient(a, b)).ops();
        System.out.printf("  ND4J ops         forward %d   gradient %d   tape forward+backward %d   (seed: 3 and 8)%n",
                forwardOps, gradientOps, tapeOps);

        int n = 20_000;
        double tapeMicros = time(n, () -> {
            Tape.reset();
            Variable x = Variable.constant(a);
            Variable y = Variable.constant(b);
            Tape.grad(Seed.loss(x, y), x, y);
        });
        Tape.reset();
        double generatedMicros = time(n, () -> SeedDerivatives.lossGradient(a, b));
        System.out.printf("  time per gradient call: tape %.1f µs, generated %.1f µs (%d calls each, after warm-up)%n",
                tapeMicros, generatedMicros, n);
    }

    private static double time(int n, Runnable r) {
        for (int i = 0; i < n; i++) r.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) r.run();
        return (System.nanoTime() - t0) / 1e3 / n;
    }
}
