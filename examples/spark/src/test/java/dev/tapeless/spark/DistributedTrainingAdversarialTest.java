package dev.tapeless.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.examples.Digits;
import dev.tapeless.examples.Main;
import dev.tapeless.examples.MlpDerivatives;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The distributed gradient under pressure: more partitions than examples, minibatch indices out
 * of range, and jobs submitted concurrently from several driver threads (executor threads reuse
 * their last gradient through a ThreadLocal), each against one machine's gradient.
 */
class DistributedTrainingAdversarialTest {
    private static JavaSparkContext sc;
    private static Digits train;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("adversarial")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        train = Digits.load().split(Main.HELD_OUT, new Random(Main.SEED)).training();
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static double diff(MlpDerivatives.LossGradient a, MlpDerivatives.LossGradient b) {
        List<INDArray> x = List.of(a.value().reshape(1), a.w1(), a.b1(), a.w2(), a.b2());
        List<INDArray> y = List.of(b.value().reshape(1), b.w1(), b.b1(), b.w2(), b.b2());
        double worst = 0;
        for (int i = 0; i < x.size(); i++) worst = Math.max(worst, x.get(i).sub(y.get(i)).amaxNumber().doubleValue());
        return worst;
    }

    private static MlpDerivatives.LossGradient local(Main.Model model, Digits data, int[] batch) {
        Digits s = data.select(batch);
        return model.gradient(s.images(), s.oneHot());
    }

    @Test
    void s02_morePartitionsThanExamplesAndOutOfRangeIndices() {
        Digits few = train.select(new int[] {3, 1, 4});
        JavaRDD<Shard> shards = DistributedTraining.shards(DistributedTraining.examples(sc, few, 17));
        Main.Model model = Main.Model.initial(new Random(11));
        int[] batch = {2, 0};
        assertTrue(diff(DistributedTraining.gradient(sc, shards, model, batch), local(model, few, batch)) <= 1e-12);
        for (int[] bad : new int[][] {{-1}, {3}, {0, Integer.MAX_VALUE}, {Integer.MIN_VALUE, 1}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DistributedTraining.gradient(sc, shards, model, bad));
            assertTrue(e.getMessage().contains("the partitions hold"), e.getMessage());
        }
    }

    @Test
    void s03_concurrentJobsWithTheThreadLocalGradientsAgreeWithOneMachine() throws Exception {
        JavaRDD<Shard> shards = DistributedTraining.shards(DistributedTraining.examples(sc, train, 5));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Double>> out = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int seed = t;
                out.add(pool.submit(() -> {
                    Main.Model model = Main.Model.initial(new Random(100 + seed));
                    int[] batch = Digits.permutation(train.size(), new Random(seed));
                    batch = java.util.Arrays.copyOf(batch, 50 + 40 * seed);
                    return diff(DistributedTraining.gradient(sc, shards, model, batch), local(model, train, batch));
                }));
            }
            for (Future<Double> f : out) assertTrue(f.get() <= 1e-12, "difference " + f.get());
        } finally {
            pool.shutdown();
        }
    }
}
