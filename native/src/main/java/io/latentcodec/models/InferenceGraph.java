package io.latentcodec.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The inference graph at a fixed batch size B, with the weights in variables: what a model
 * directory's SavedModel holds. Three signatures:
 *
 * <pre>
 *   posterior   inputs  x [B, D] float32             outputs  mu [B, L], sigma [B, L] float32
 *   likelihood  inputs  z [B, L] float32             outputs  one [B, D] float32 per Likelihood.paramNames()
 *   elbo        inputs  x [B, D], eps [B, L] float32 outputs  log_px, log_pz, log_qz, kl [B] float64
 * </pre>
 *
 * A model with a context net (locally autoregressive likelihood, {@link ContextSpec}) has four:
 * its parameters need x, and the codecs run the context net in Java on the decoder's raw maps.
 *
 * <pre>
 *   posterior   as above
 *   decoder     inputs  z [B, L] float32             outputs  the decoder's E maps [B, D] float32, raw0, raw1, ...
 *   likelihood  inputs  z [B, L], x [B, D] float32   outputs  one [B, D] float32 per Likelihood.paramNames()
 *   elbo        as above
 * </pre>
 *
 * Built by the trainer to export a model, and by the loader to run a loaded model's weights at
 * another batch size.
 */
final class InferenceGraph implements AutoCloseable {
    static final String POSTERIOR = "posterior";
    static final String LIKELIHOOD = "likelihood";
    static final String ELBO = "elbo";
    static final String DECODER = "decoder";
    /** Prefix of the decoder signature's outputs: {@code raw0}, {@code raw1}, ... */
    static final String RAW = "raw";
    static final List<String> ELBO_OUTPUTS = List.of("log_px", "log_pz", "log_qz", "kl");

    final Graph graph;
    final Session session;
    final Signature posterior;
    final Signature likelihood;
    final Signature elbo;
    /** Null without a context net. */
    final Signature decoder;

    private InferenceGraph(Graph graph, Session session, Signature posterior, Signature likelihood, Signature elbo, Signature decoder) {
        this.graph = graph;
        this.session = session;
        this.posterior = posterior;
        this.likelihood = likelihood;
        this.elbo = elbo;
        this.decoder = decoder;
    }

    /** Builds the graph and sets its variables to {@code weights} (in {@link Architecture#variableNames()} order). */
    static InferenceGraph create(Architecture a, int batch, List<float[]> weights, ConfigProto config) {
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            List<String> names = a.variableNames();
            List<long[]> shapes = a.variableShapes();
            List<Operand<TFloat32>> vars = new ArrayList<>();
            List<Operand<TFloat32>> assignValues = new ArrayList<>();
            List<Operand<TFloat32>> assigns = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Shape shape = Shape.of(shapes.get(i));
                Variable<TFloat32> v = tf.withName(names.get(i)).variable(shape, TFloat32.class);
                Placeholder<TFloat32> value = tf.withName("assign_" + names.get(i) + "_value")
                        .placeholder(TFloat32.class, Placeholder.shape(shape));
                vars.add(v);
                assignValues.add(value);
                assigns.add(tf.withName("assign_" + names.get(i)).assign(v, value));
            }
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, a.dataDim())));
            Placeholder<TFloat32> z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, a.latentDim())));
            Placeholder<TFloat32> eps = tf.withName("eps").placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, a.latentDim())));

            VaeGraph.Posterior q = VaeGraph.encode(tf, a, vars, x);
            Signature post = Signature.builder(POSTERIOR).key(POSTERIOR).input("x", x)
                    .output("mu", tf.withName("mu").identity(q.mu()))
                    .output("sigma", tf.withName("sigma").identity(q.sigma())).build();

            Signature dec = null;
            List<Operand<TFloat32>> params;
            Signature.Builder lik = Signature.builder(LIKELIHOOD).key(LIKELIHOOD).input("z", z);
            if (a.autoregressive()) {
                List<Operand<TFloat32>> raw = VaeGraph.decodeRaw(tf, a, vars, z);
                Signature.Builder db = Signature.builder(DECODER).key(DECODER).input("z", z);
                for (int i = 0; i < raw.size(); i++) {
                    String n = RAW + i;
                    db.output(n, tf.withName(n).identity(raw.get(i)));
                }
                dec = db.build();
                lik.input("x", x);
                params = VaeGraph.decode(tf, a, vars, z, x);
            } else {
                params = VaeGraph.decode(tf, a, vars, z);
            }
            for (int i = 0; i < params.size(); i++) {
                String n = a.likelihood().paramNames().get(i);
                lik.output(n, tf.withName(n).identity(params.get(i)));
            }

            VaeGraph.ElboTerms t = VaeGraph.elbo(tf.withSubScope("elbo"), a, vars, q, x, eps);
            Signature el = Signature.builder(ELBO).key(ELBO).input("x", x).input("eps", eps)
                    .output("log_px", tf.withName("log_px").identity(t.logPx()))
                    .output("log_pz", tf.withName("log_pz").identity(t.logPz()))
                    .output("log_qz", tf.withName("log_qz").identity(t.logQz()))
                    .output("kl", tf.withName("kl").identity(t.kl())).build();

            Session s = new Session(g, config);
            try {
                Session.Runner r = s.runner();
                List<Tensor> fed = new ArrayList<>();
                try {
                    for (int i = 0; i < names.size(); i++) {
                        Tensor w = Tensors.floats(Shape.of(shapes.get(i)), weights.get(i));
                        fed.add(w);
                        r.feed(assignValues.get(i), w).addTarget(assigns.get(i));
                    }
                    r.run();
                } finally {
                    fed.forEach(Tensor::close);
                }
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            return new InferenceGraph(g, s, post, lik.build(), el, dec);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** Writes the SavedModel (saved_model.pb, variables/) into {@code dir}, which must not exist yet. */
    void export(Path dir) throws IOException {
        List<SessionFunction> fns = new ArrayList<>(List.of(SessionFunction.create(posterior, session),
                SessionFunction.create(likelihood, session), SessionFunction.create(elbo, session)));
        if (decoder != null) {
            fns.add(SessionFunction.create(decoder, session));
        }
        SavedModelBundle.exporter(dir.toString()).withSession(session).withFunctions(fns.toArray(SessionFunction[]::new)).export();
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
