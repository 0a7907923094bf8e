package dev.tapeless.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.examples.Digits;
import dev.tapeless.examples.Main;
import dev.tapeless.examples.MlpDerivatives;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Distributed against one machine, on Spark in local mode with two worker threads: one step's
 * gradient to 1e-12, a whole training run to the same held-out accuracy, and clear errors.
 */
class DistributedTrainingTest {
    private static JavaSparkContext sc;
    private static Digits.Split split;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        split = Digits.load().split(Main.HELD_OUT, new Random(Main.SEED));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static Main.Model model(long seed) {
        return Main.Model.initial(new Random(seed));
    }

    private static Main.Model copy(Main.Model m) {
        return new Main.Model(m.w1().dup(), m.b1().dup(), m.w2().dup(), m.b2().dup());
    }

    private static double largestDifference(List<INDArray> a, List<INDArray> b) {
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, a.get(i).sub(b.get(i)).amaxNumber().doubleValue());
        }
        return worst;
    }

    private static List<INDArray> arrays(MlpDerivatives.LossGradient g) {
        return List.of(g.value().reshape(1), g.w1(), g.b1(), g.w2(), g.b2());
    }

    @Test
    void oneStepsGradientIsOneMachinesTo1e12() {
        Digits train = split.training();
        JavaRDD<Shard> shards = DistributedTraining.shards(DistributedTraining.examples(sc, train, 3));
        Main.Model model = model(7);
        int[] order = Digits.permutation(train.size(), new Random(3));
        for (int size : new int[] {1, Main.BATCH, 200, train.size()}) {
            int[] batch = Arrays.copyOfRange(order, 0, size);
            MlpDerivatives.LossGradient distributed = DistributedTraining.gradient(sc, shards, model, batch);
            Digits sample = train.select(batch);
            MlpDerivatives.LossGradient local = model.gradient(sample.images(), sample.oneHot());
            double d = largestDifference(arrays(distributed), arrays(local));
            assertTrue(d <= 1e-12, "batch of " + size + ": largest difference " + d);
            assertTrue(local.w1().amaxNumber().doubleValue() > 1e-3, "a gradient that is not zero");
        }
    }

    @Test
    void emptyPartitionsAddNothing() {
        Digits few = split.training().select(new int[] {4, 9, 11, 30, 2});
        JavaRDD<Shard> shards = DistributedTraining.shards(DistributedTraining.examples(sc, few, 8));
        assertEquals(8, shards.count());
        assertTrue(shards.filter(s -> s.size() == 0).count() >= 3, "some partitions are empty");
        Main.Model model = model(9);
        int[] batch = {4, 0, 2};
        MlpDerivatives.LossGradient distributed = DistributedTraining.gradient(sc, shards, model, batch);
        Digits sample = few.select(batch);
        double d = largestDifference(arrays(distributed), arrays(model.gradient(sample.images(), sample.oneHot())));
        assertTrue(d <= 1e-12, "largest difference " + d);
    }

    /** The main example's training run, distributed: the same minibatches, the same held-out accuracy. */
    @Test
    void trainingReachesOneMachinesHeldOutAccuracy() {
        Random rngLocal = new Random(Main.SEED);
        Digits.Split s = Digits.load().split(Main.HELD_OUT, rngLocal);
        Main.Model local = Main.Model.initial(rngLocal);
        Random rngSpark = new Random(Main.SEED);
        Digits.load().split(Main.HELD_OUT, rngSpark);
        Main.Model distributed = Main.Model.initial(rngSpark);

        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Main.train(local, s.training(), Main.EPOCHS, rngLocal, quiet);
        JavaRDD<Shard> shards = DistributedTraining.shards(DistributedTraining.examples(sc, s.training(), 2));
        DistributedTraining.train(sc, shards, distributed, s.training(), Main.EPOCHS, rngSpark, quiet);

        double accuracy = local.accuracy(s.heldOut());
        assertTrue(accuracy > 0.9, "the example learns: " + accuracy);
        assertEquals(accuracy, distributed.accuracy(s.heldOut()), 0.0);
        double d = largestDifference(local.parameters(), distributed.parameters());
        assertTrue(d < 1e-9, "weights after " + Main.EPOCHS + " epochs differ by " + d);
    }

    @Test
    void aLabelThatIsNotADigitIsNamedOnTheDriver() {
        Digits train = split.training().select(new int[] {0, 1, 2, 3});
        Digits bad = new Digits(train.images(), new int[] {1, 2, 12, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistributedTraining.examples(sc, bad, 2));
        assertEquals("example 2 has label 12; labels are 0 to 9", e.getMessage());
    }

    @Test
    void aBadExampleMadeElsewhereIsNamedByTheExecutorThatReadsIt() {
        double[] pixels = new double[Digits.PIXELS];
        JavaRDD<Example> examples = sc.parallelize(List.of(new Example(0, pixels, 3), new Example(1, pixels, -1)), 2);
        JavaRDD<Shard> shards = DistributedTraining.shards(examples);
        SparkException e = assertThrows(SparkException.class,
                () -> DistributedTraining.gradient(sc, shards, model(1), new int[] {0, 1}));
        assertTrue(e.getMessage().contains("IllegalArgumentException: example 1 has label -1; labels are 0 to 9"), e.getMessage());
    }

    /** Found by review: an index in two partitions and one in none cancelled out in the count check. */
    @Test
    void anExampleInTwoPartitionsIsAClearError() {
        double[] pixels = new double[Digits.PIXELS];
        JavaRDD<Example> a = sc.parallelize(List.of(new Example(0, pixels, 1), new Example(1, pixels, 2)), 1);
        JavaRDD<Example> b = sc.parallelize(List.of(new Example(0, pixels, 1), new Example(2, pixels, 3)), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistributedTraining.shards(a.union(b)));
        assertEquals("example 0 appears twice; give each example its own index", e.getMessage());
    }

    @Test
    void minibatchesThatCannotBeAreClearErrors() {
        Digits few = split.training().select(new int[] {0, 1, 2});
        JavaRDD<Shard> shards = DistributedTraining.shards(DistributedTraining.examples(sc, few, 2));
        Main.Model model = model(2);
        assertEquals("an empty minibatch has no gradient", assertThrows(IllegalArgumentException.class,
                () -> DistributedTraining.gradient(sc, shards, model, new int[0])).getMessage());
        assertEquals("the minibatch names example 1 twice", assertThrows(IllegalArgumentException.class,
                () -> DistributedTraining.gradient(sc, shards, model, new int[] {1, 0, 1})).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DistributedTraining.gradient(sc, shards, model, new int[] {0, 7})).getMessage()
                .contains("the minibatch names 2 examples, but the partitions hold 1 of them"));
        assertEquals("no examples to train on", assertThrows(IllegalArgumentException.class,
                () -> DistributedTraining.examples(sc, new Digits(few.images(), new int[0]), 2)).getMessage());
    }
}
