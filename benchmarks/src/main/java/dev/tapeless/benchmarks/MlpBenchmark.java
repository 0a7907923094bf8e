package dev.tapeless.benchmarks;

import dev.tapeless.examples.Mlp;
import dev.tapeless.examples.MlpDerivatives;
import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.support.Dense;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One gradient of the example's two-layer perceptron (relu, log-softmax cross-entropy): generated
 * by Tapeless, on the runtime tape, and backpropagation written by hand with ND4J. The small size is
 * the digits example (batch 32, 64-32-10); the large one is MNIST-like (batch 256, 784-512-10).
 * Needs ND4J in the jar: build with {@code -Ptensor-benchmarks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MlpBenchmark {
    @Param({"32x64x32x10", "256x784x512x10"})
    String size;

    INDArray x;
    INDArray labels;
    INDArray w1;
    INDArray b1;
    INDArray w2;
    INDArray b2;

    @Setup
    public void modelAndAgreement() {
        String[] s = size.split("x");
        int n = Integer.parseInt(s[0]);
        int d = Integer.parseInt(s[1]);
        int h = Integer.parseInt(s[2]);
        int k = Integer.parseInt(s[3]);
        Nd4j.getRandom().setSeed(7);
        x = Nd4j.rand(DataType.DOUBLE, n, d);
        labels = Nd4j.zeros(DataType.DOUBLE, n, k);
        for (int i = 0; i < n; i++) labels.putScalar(i, (i * 7) % k, 1.0);
        w1 = Nd4j.randn(DataType.DOUBLE, d, h).muli(Math.sqrt(2.0 / d));
        b1 = Nd4j.zeros(DataType.DOUBLE, h);
        w2 = Nd4j.randn(DataType.DOUBLE, h, k).muli(Math.sqrt(1.0 / h));
        b2 = Nd4j.zeros(DataType.DOUBLE, k);
        productHidden = Nd4j.create(DataType.DOUBLE, n, h);
        productLogits = Nd4j.create(DataType.DOUBLE, n, k);
        productDHidden = Nd4j.create(DataType.DOUBLE, n, h);
        productDw2 = Nd4j.create(DataType.DOUBLE, h, k);
        productDw1 = Nd4j.create(DataType.DOUBLE, d, h);
        logitsGradient = Nd4j.rand(DataType.DOUBLE, n, k);
        List<INDArray> generated = generatedGradient();
        List<INDArray> nd4jPath = generatedGradientNd4jPath();
        MlpDerivatives.LossGradient reused = generatedGradientReused();
        reused = generatedGradientReused();
        List<INDArray> reusedList = List.of(reused.value(), reused.w1(), reused.b1(), reused.w2(), reused.b2());
        List<INDArray> tape = tapeGradient();
        List<INDArray> hand = handWrittenGradient();
        for (int i = 0; i < generated.size(); i++) {
            Agreement.require("mlp component " + i + " (tape)", generated.get(i), tape.get(i));
            Agreement.require("mlp component " + i + " (hand-written)", generated.get(i), hand.get(i));
            Agreement.require("mlp component " + i + " (ND4J path)", generated.get(i), nd4jPath.get(i));
            Agreement.require("mlp component " + i + " (reused)", generated.get(i), reusedList.get(i));
        }
    }

    @Benchmark
    public List<INDArray> generatedGradient() {
        var g = MlpDerivatives.lossGradient(w1, b1, w2, b2, x, labels);
        return List.of(g.value(), g.w1(), g.b1(), g.w2(), g.b2());
    }

    MlpDerivatives.LossGradient previous;
    INDArray productHidden;
    INDArray productLogits;
    INDArray productDHidden;
    INDArray productDw2;
    INDArray productDw1;
    INDArray logitsGradient;

    /** The generated gradient written into the arrays of the last call's result, as a training loop does. */
    @Benchmark
    public MlpDerivatives.LossGradient generatedGradientReused() {
        previous = MlpDerivatives.lossGradient(w1, b1, w2, b2, x, labels, previous);
        return previous;
    }

    /** The generated gradient on its ND4J path (as before matrix loops, and for arrays that do not fit them). */
    @Benchmark
    public List<INDArray> generatedGradientNd4jPath() {
        return Dense.withoutFusedLoops(this::generatedGradient);
    }

    /**
     * The gradient's five matrix products alone, by gemm into arrays made once: x·w1, h·w2,
     * dLogits·w2ᵀ, hᵀ·dLogits and xᵀ·dHidden (on stand-in operands of the right shapes).
     */
    @Benchmark
    public INDArray matrixProductsAlone() {
        Nd4j.gemm(x, w1, productHidden, false, false, 1.0, 0.0);
        Nd4j.gemm(productHidden, w2, productLogits, false, false, 1.0, 0.0);
        Nd4j.gemm(logitsGradient, w2, productDHidden, false, true, 1.0, 0.0);
        Nd4j.gemm(productHidden, logitsGradient, productDw2, true, false, 1.0, 0.0);
        Nd4j.gemm(x, productDHidden, productDw1, true, false, 1.0, 0.0);
        return productDw1;
    }

    @Benchmark
    public List<INDArray> tapeGradient() {
        Tape.reset();
        Variable vw1 = Variable.constant(w1);
        Variable vb1 = Variable.constant(b1);
        Variable vw2 = Variable.constant(w2);
        Variable vb2 = Variable.constant(b2);
        Variable loss = Mlp.loss(vw1, vb1, vw2, vb2, x, labels);
        List<Variable> g = Tape.grad(loss, vw1, vb1, vw2, vb2);
        Tape.reset();
        return List.of(loss.value(), g.get(0).value(), g.get(1).value(), g.get(2).value(), g.get(3).value());
    }

    /** Backpropagation as a person writes it with ND4J, in-place where it is safe. */
    @Benchmark
    public List<INDArray> handWrittenGradient() {
        long n = x.size(0);
        INDArray z1 = x.mmul(w1).addiRowVector(b1);
        INDArray hidden = Transforms.relu(z1, true);
        INDArray logits = hidden.mmul(w2).addiRowVector(b2);
        INDArray logProbabilities = Nd4j.nn.logSoftmax(logits, 1);
        INDArray value = logProbabilities.mul(labels).sum().divi(-n);
        INDArray dLogits = Transforms.exp(logProbabilities, true).subi(labels).divi(n);
        INDArray dw2 = Nd4j.gemm(hidden, dLogits, true, false);
        INDArray db2 = dLogits.sum(0);
        INDArray dz1 = Nd4j.gemm(dLogits, w2, false, true).muli(Transforms.step(z1));
        INDArray dw1 = Nd4j.gemm(x, dz1, true, false);
        INDArray db1 = dz1.sum(0);
        return List.of(value, dw1, db1, dw2, db2);
    }
}
