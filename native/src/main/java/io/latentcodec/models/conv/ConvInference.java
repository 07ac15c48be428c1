package io.latentcodec.models.conv;

import io.latentcodec.models.Tensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The conv VAE's inference graph at batch 1 with dynamic height and width, the weights in variables:
 * what a model directory's SavedModel holds.
 * <pre>
 *   posterior  x [1, H, W, 3] float32 (0..255)   ->  mu [1, H/16, W/16, M], sigma [1, H/16, W/16, M]
 *   decoder    z [1, h, w, M] float32            ->  x_mean [1, 16h, 16w, 3] (pixel units, unclipped)
 * </pre>
 */
final class ConvInference implements AutoCloseable {
    static final String POSTERIOR = "posterior";
    static final String DECODER = "decoder";

    final Graph graph;
    final Session session;
    final Signature posterior;
    final Signature decoder;

    private ConvInference(Graph graph, Session session, Signature posterior, Signature decoder) {
        this.graph = graph;
        this.session = session;
        this.posterior = posterior;
        this.decoder = decoder;
    }

    static ConvInference create(ConvArchitecture a, List<float[]> weights) {
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            Map<String, Operand<TFloat32>> w = new LinkedHashMap<>();
            List<Placeholder<TFloat32>> values = new ArrayList<>();
            List<Operand<TFloat32>> assigns = new ArrayList<>();
            for (ConvArchitecture.Var v : a.variables()) {
                Shape shape = Shape.of(v.shape());
                Variable<TFloat32> var = tf.withName(v.name()).variable(shape, TFloat32.class);
                Placeholder<TFloat32> p = tf.withName("assign_" + v.name() + "_value").placeholder(TFloat32.class, Placeholder.shape(shape));
                w.put(v.name(), var);
                values.add(p);
                assigns.add(tf.withName("assign_" + v.name()).assign(var, p));
            }
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
            Placeholder<TFloat32> z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, a.latents())));
            ConvGraph.Posterior q = ConvGraph.encode(tf, a, w, x);
            Signature post = Signature.builder(POSTERIOR).key(POSTERIOR).input("x", x)
                    .output("mu", tf.withName("mu").identity(q.mu())).output("sigma", tf.withName("sigma").identity(q.sigma())).build();
            Signature dec = Signature.builder(DECODER).key(DECODER).input("z", z)
                    .output("x_mean", tf.withName("x_mean").identity(ConvGraph.decode(tf, a, w, z))).build();
            Session s = new Session(g, ConvTrainer.sessionConfig());
            try {
                Session.Runner r = s.runner();
                List<Tensor> fed = new ArrayList<>();
                try {
                    List<ConvArchitecture.Var> vars = a.variables();
                    for (int i = 0; i < vars.size(); i++) {
                        Tensor t = Tensors.floats(Shape.of(vars.get(i).shape()), weights.get(i));
                        fed.add(t);
                        r.feed(values.get(i), t).addTarget(assigns.get(i));
                    }
                    r.run();
                } finally {
                    fed.forEach(Tensor::close);
                }
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            return new ConvInference(g, s, post, dec);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    void export(Path dir) throws IOException {
        SavedModelBundle.exporter(dir.toString()).withSession(session)
                .withFunctions(SessionFunction.create(posterior, session), SessionFunction.create(decoder, session)).export();
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
