package io.latentcodec.engine.vbq;

import io.latentcodec.engine.image.Metrics;
import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.models.conv.Photos;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The rate-distortion experiment: the held-out test photos ({@link Photos#testSet()}) coded with VBQ at
 * several lambdas, the uniform-quantization ablation at several steps (same model, same entropy
 * coding), and the peers ({@link ImagePeer}), all in one run. For each method and setting: mean bits
 * per pixel (file bytes x 8 / pixels), mean PSNR and mean MS-SSIM over the photos. Writes
 * {@code rd.csv} (every photo), {@code rd.md} (the table, the crossings, VBQ's times) and
 * {@code rd.png} (PSNR and MS-SSIM against bpp) into the output folder.
 *
 * <pre>
 *   scripts/vbq rd [--model photo-vae] [--out docs/vbq] [--images N] [--lambdas 0.5,1,2,...] [--peers jpeg,webp,...]
 * </pre>
 * Every VBQ and ablation file is decoded again and must equal the encoder's reconstruction bit for bit.
 */
public final class RdExperiment {
    private RdExperiment() {
    }

    /** One measured point of one photo. */
    record Point(String method, String setting, String image, long bytes, double bpp, double psnr, double msssim) {
    }

    /** A method's curve: mean values per setting, settings in the order run. */
    record Curve(String method, List<String> settings, double[] bpp, double[] psnr, double[] msssim) {
    }

    public static final double[] DEFAULT_LAMBDAS = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128};

    public static void main(String[] args) throws Exception {
        String model = "photo-vae";
        Path out = Path.of("docs/vbq");
        int images = Integer.MAX_VALUE;
        double[] lambdas = DEFAULT_LAMBDAS;
        List<ImagePeer> peers = new ArrayList<>(List.of(ImagePeer.values()));
        String altTables = null;
        String altName = "VBQ (quantile grid)";
        int refine = 0;
        int tune = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--images" -> images = Integer.parseInt(args[++i]);
                case "--alt-tables" -> altTables = args[++i];
                case "--alt-name" -> altName = args[++i];
                case "--refine" -> refine = Integer.parseInt(args[++i]);
                case "--tune" -> tune = Integer.parseInt(args[++i]);
                case "--lambdas" -> lambdas = Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray();
                case "--peers" -> {
                    peers.clear();
                    for (String p : args[++i].split(",")) {
                        if (!p.isBlank()) {
                            peers.add(ImagePeer.valueOf(p.toUpperCase(Locale.ROOT)));
                        }
                    }
                }
                default -> {
                    System.err.println("usage: RdExperiment [--model NAME|DIR] [--out DIR] [--images N] [--lambdas a,b,...] [--peers jpeg,webp,jpeg2000,jpegxl,avif] "
                            + "[--alt-tables FILE --alt-name NAME]   (a second VBQ curve: the same network with other tables) "
                            + "[--refine N] [--tune M]   (a second VBQ curve: Vbq.Effort(N, M), the means refined by N gradient steps, M tuning rounds per rate)");
                    System.exit(2);
                }
            }
        }
        run(model, out, images, lambdas, peers, altTables == null ? null : Path.of(altTables), altName, new Vbq.Effort(refine, tune), System.err);
    }

    static void run(String modelName, Path out, int maxImages, double[] lambdas, List<ImagePeer> peers, Path altTables, String altName,
                    Vbq.Effort effort, PrintStream log) throws Exception {
        List<Path> files = Photos.testSet();
        files = files.subList(0, Math.min(maxImages, files.size()));
        Files.createDirectories(out);
        List<Point> points = new ArrayList<>();
        List<Double> encodeSeconds = new ArrayList<>();
        List<Double> decodeSeconds = new ArrayList<>();
        List<Double> analyzeSeconds = new ArrayList<>();
        List<Double> refineSeconds = new ArrayList<>();
        String refinedName = "VBQ + refinement and tuning (" + effort.refineSteps() + " steps, " + effort.tuneRounds() + " rounds)";
        List<Double> refinedEncodeSeconds = new ArrayList<>();
        try (VbqModel model = VbqModel.named(modelName)) {
            VbqTables t = model.tables();
            VbqModel alt = altTables == null ? null : model.withTables(VbqTables.read(altTables)); // shares the network: not closed
            log.println("model " + model + ", " + files.size() + " test photos" + (alt == null ? "" : "; second curve " + altName + " from " + altTables));
            for (Path f : files) {
                RgbImage img = RgbImage.read(f);
                String name = f.getFileName().toString();
                double pixels = (double) img.width() * img.height();
                long t0 = System.nanoTime();
                Vbq.Analysis a = Vbq.analyze(img, model);
                analyzeSeconds.add((System.nanoTime() - t0) / 1e9);
                curve("VBQ", img, name, a, model, lambdas, analyzeSeconds.getLast(), encodeSeconds, decodeSeconds, points);
                if (alt != null) {
                    curve(altName, img, name, Vbq.analyze(img, alt), alt, lambdas, 0, new ArrayList<>(), new ArrayList<>(), points);
                }
                if (!effort.equals(Vbq.Effort.FAST)) {
                    long r0 = System.nanoTime();
                    Vbq.Analysis ar = Vbq.analyze(img, model, effort);
                    refineSeconds.add((System.nanoTime() - r0) / 1e9);
                    curve(refinedName, img, name, ar, model, lambdas, refineSeconds.getLast(), refinedEncodeSeconds, new ArrayList<>(), points);
                    log.printf(Locale.ROOT, "%s: %s done (refinement %.1f s)%n", name, refinedName, refineSeconds.getLast());
                }
                for (int s = 0; s < t.uniformSteps(); s++) {
                    Vbq.Result r = a.compressUniform(s);
                    RgbImage back = Vbq.decompress(r.container(), model);
                    if (!Arrays.equals(back.rgb(), r.reconstruction().rgb())) {
                        throw new IllegalStateException(name + " at uniform step " + t.step(s) + ": decoder differs");
                    }
                    points.add(new Point("Uniform (ablation)", fmt(t.step(s)), name, r.container().length, r.container().length * 8 / pixels,
                            r.stats().psnr(), Metrics.msssim(img, back)));
                }
                log.printf(Locale.ROOT, "%s: VBQ and ablation done (%.2f s per encode, %.2f s per decode so far)%n", name, mean(encodeSeconds),
                        mean(decodeSeconds));
            }
        }
        Path scratch = Files.createTempDirectory("rd-peers");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            for (ImagePeer p : peers) {
                if (!p.available()) {
                    log.println("skipping " + p.label() + ": " + ImageTools.missing(p.tools().stream().filter(n -> !ImageTools.available(n))
                            .findFirst().orElse("?")));
                    continue;
                }
                List<Future<List<Point>>> jobs = new ArrayList<>();
                for (Path f : files) {
                    jobs.add(pool.submit(() -> {
                        RgbImage img = RgbImage.read(f);
                        double pixels = (double) img.width() * img.height();
                        List<Point> ps = new ArrayList<>();
                        for (String s : p.settings()) {
                            ImagePeer.Encoded e = p.encode(img, s, scratch);
                            ps.add(new Point(p.label(), s, f.getFileName().toString(), e.bytes(), e.bytes() * 8 / pixels, Metrics.psnr(img, e.decoded()),
                                    Metrics.msssim(img, e.decoded())));
                        }
                        return ps;
                    }));
                }
                for (Future<List<Point>> j : jobs) {
                    points.addAll(j.get());
                }
                log.println(p.label() + " done");
            }
        } finally {
            pool.shutdown();
        }
        List<Curve> curves = curves(points);
        writeCsv(out.resolve("rd.csv"), points);
        String md = table(curves, files.size(), analyzeSeconds, encodeSeconds, decodeSeconds, lambdas.length, effort, refineSeconds, refinedEncodeSeconds);
        Files.writeString(out.resolve("rd.md"), md);
        plot(curves, out.resolve("rd.png"));
        log.println(md);
        log.println("wrote " + out.resolve("rd.csv") + ", " + out.resolve("rd.md") + ", " + out.resolve("rd.png"));
    }

    /**
     * One photo coded at every lambda from analysis {@code a}: each file decoded again (it must give the
     * encoder's reconstruction bit for bit), a point per lambda, encode times (plus {@code analysisSeconds})
     * and decode times added to the lists.
     */
    static void curve(String method, RgbImage img, String name, Vbq.Analysis a, VbqModel model, double[] lambdas, double analysisSeconds,
                      List<Double> encodeSeconds, List<Double> decodeSeconds, List<Point> points) {
        double pixels = (double) img.width() * img.height();
        for (double lambda : lambdas) {
            long e0 = System.nanoTime();
            Vbq.Result r = a.compress(lambda);
            double enc = (System.nanoTime() - e0) / 1e9 + analysisSeconds;
            long d0 = System.nanoTime();
            RgbImage back = Vbq.decompress(r.container(), model);
            double dec = (System.nanoTime() - d0) / 1e9;
            if (!Arrays.equals(back.rgb(), r.reconstruction().rgb())) {
                throw new IllegalStateException(name + " at lambda " + lambda + " (" + method + "): the decoder's image differs from the encoder's");
            }
            encodeSeconds.add(enc);
            decodeSeconds.add(dec);
            points.add(new Point(method, fmt(lambda), name, r.container().length, r.container().length * 8 / pixels, r.stats().psnr(),
                    Metrics.msssim(img, back)));
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "");
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static List<Curve> curves(List<Point> points) {
        Map<String, Map<String, List<Point>>> by = new LinkedHashMap<>();
        for (Point p : points) {
            by.computeIfAbsent(p.method(), k -> new LinkedHashMap<>()).computeIfAbsent(p.setting(), k -> new ArrayList<>()).add(p);
        }
        List<Curve> out = new ArrayList<>();
        for (var e : by.entrySet()) {
            List<String> settings = new ArrayList<>(e.getValue().keySet());
            int n = settings.size();
            double[] bpp = new double[n];
            double[] psnr = new double[n];
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                List<Point> ps = e.getValue().get(settings.get(i));
                bpp[i] = ps.stream().mapToDouble(Point::bpp).average().orElseThrow();
                psnr[i] = ps.stream().mapToDouble(Point::psnr).average().orElseThrow();
                ms[i] = ps.stream().mapToDouble(Point::msssim).average().orElseThrow();
            }
            // sort by rate
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> Double.compare(bpp[a], bpp[b]));
            List<String> s2 = new ArrayList<>();
            double[] b2 = new double[n];
            double[] p2 = new double[n];
            double[] m2 = new double[n];
            for (int i = 0; i < n; i++) {
                s2.add(settings.get(idx[i]));
                b2[i] = bpp[idx[i]];
                p2[i] = psnr[idx[i]];
                m2[i] = ms[idx[i]];
            }
            out.add(new Curve(e.getKey(), s2, b2, p2, m2));
        }
        return out;
    }

    /** The curve's value at rate b by linear interpolation in bpp; NaN outside its measured range. */
    static double at(double[] bpp, double[] y, double b) {
        for (int i = 0; i + 1 < bpp.length; i++) {
            if (b >= bpp[i] && b <= bpp[i + 1]) {
                double f = bpp[i + 1] == bpp[i] ? 0 : (b - bpp[i]) / (bpp[i + 1] - bpp[i]);
                return y[i] + f * (y[i + 1] - y[i]);
            }
        }
        return Double.NaN;
    }

    static double msDb(double ms) {
        return -10 * Math.log10(Math.max(1e-12, 1 - ms));
    }

    /** Where, within [lo, hi] bpp, {@code other} is at least as good as VBQ (both measured there): a description. */
    static String where(Curve vbq, Curve other, boolean msssim, double lo, double hi) {
        List<String> ranges = new ArrayList<>();
        double start = Double.NaN;
        double last = Double.NaN;
        int checked = 0;
        for (double b = lo; b <= hi + 1e-9; b += 0.01) {
            double v = at(vbq.bpp(), msssim ? vbq.msssim() : vbq.psnr(), b);
            double o = at(other.bpp(), msssim ? other.msssim() : other.psnr(), b);
            if (Double.isNaN(v) || Double.isNaN(o)) {
                continue;
            }
            checked++;
            if (o >= v) {
                if (Double.isNaN(start)) {
                    start = b;
                }
                last = b;
            } else if (!Double.isNaN(start)) {
                ranges.add(String.format(Locale.ROOT, "%.2f-%.2f", start, last));
                start = Double.NaN;
            }
        }
        if (!Double.isNaN(start)) {
            ranges.add(String.format(Locale.ROOT, "%.2f-%.2f", start, last));
        }
        if (checked == 0) {
            return "no common range";
        }
        return ranges.isEmpty() ? "nowhere" : String.join(", ", ranges) + " bpp";
    }

    /**
     * The table, the crossings against the best VBQ encoder measured (the one with more effort when the
     * run has it, else plain VBQ) and VBQ's times.
     */
    static String table(List<Curve> curves, int photos, List<Double> analyze, List<Double> enc, List<Double> dec, int lambdas, Vbq.Effort effort,
                        List<Double> refineSeconds, List<Double> refinedEnc) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Mean over %d held-out photos (768x512). bpp = file bytes x 8 / pixels; PSNR over RGB; MS-SSIM on RGB "
                + "(mean of channels); MS-SSIM dB = -10 log10(1 - MS-SSIM).%n%n", photos));
        b.append("| method | setting | bpp | PSNR (dB) | MS-SSIM | MS-SSIM (dB) |\n|---|---|---|---|---|---|\n");
        for (Curve c : curves) {
            for (int i = 0; i < c.settings().size(); i++) {
                String s = c.method().startsWith("VBQ") ? "lambda " + c.settings().get(i) : c.method().startsWith("Uniform") ? "step " + c.settings().get(i)
                        : c.settings().get(i);
                b.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.2f | %.4f | %.2f |%n", c.method(), s, c.bpp()[i], c.psnr()[i], c.msssim()[i],
                        msDb(c.msssim()[i])));
            }
        }
        Curve vbq = curves.stream().filter(c -> c.method().startsWith("VBQ + ")).findFirst()
                .or(() -> curves.stream().filter(c -> c.method().equals("VBQ")).findFirst()).orElse(null);
        if (vbq != null) {
            b.append("\nWhere another method is at least as good as ").append(vbq.method())
                    .append(", 0.1-2 bpp (linear interpolation between measured settings):\n\n");
            b.append("| method | PSNR | MS-SSIM |\n|---|---|---|\n");
            for (Curve c : curves) {
                if (c != vbq) {
                    b.append("| ").append(c.method()).append(" | ").append(where(vbq, c, false, 0.1, 2)).append(" | ")
                            .append(where(vbq, c, true, 0.1, 2)).append(" |\n");
                }
            }
        }
        b.append(String.format(Locale.ROOT, "%nVBQ times per 768x512 photo on this machine (mean over %d encodes at %d lambdas): analysis "
                + "(q(z|x)) %.3f s; encode (analysis + quantize + rANS + decoder network for the reconstruction) %.3f s; decode (rANS + decoder "
                + "network + checksum) %.3f s.%n", enc.size(), lambdas, mean(analyze), mean(enc), mean(dec)));
        if (!refineSeconds.isEmpty()) {
            b.append(String.format(Locale.ROOT, "With %d refinement steps and %d tuning rounds: analysis and refinement %.2f s per photo, encode "
                    + "%.2f s (mean over %d encodes); the decoder's time does not change.%n", effort.refineSteps(), effort.tuneRounds(),
                    mean(refineSeconds), mean(refinedEnc), refinedEnc.size()));
        }
        return b.toString();
    }

    static void writeCsv(Path f, List<Point> points) throws IOException {
        StringBuilder b = new StringBuilder("method,setting,image,bytes,bpp,psnr,msssim\n");
        for (Point p : points) {
            b.append(String.format(Locale.ROOT, "\"%s\",%s,%s,%d,%.6f,%.4f,%.6f%n", p.method(), p.setting(), p.image(), p.bytes(), p.bpp(), p.psnr(),
                    p.msssim()));
        }
        Files.writeString(f, b.toString());
    }

    static void plot(List<Curve> curves, Path file) throws IOException {
        XYChart a = chart("PSNR (dB)");
        XYChart m = chart("MS-SSIM (dB) = -10 log10(1 - MS-SSIM)");
        for (Curve c : curves) {
            double[] ms = Arrays.stream(c.msssim()).map(RdExperiment::msDb).toArray();
            XYSeries s1 = a.addSeries(c.method(), c.bpp(), c.psnr());
            XYSeries s2 = m.addSeries(c.method(), c.bpp(), ms);
            if (c.method().startsWith("VBQ")) {
                s1.setMarker(SeriesMarkers.CIRCLE);
                s2.setMarker(SeriesMarkers.CIRCLE);
                s1.setLineWidth(3f);
                s2.setLineWidth(3f);
            }
        }
        BufferedImage ia = BitmapEncoder.getBufferedImage(a);
        BufferedImage im = BitmapEncoder.getBufferedImage(m);
        BufferedImage both = new BufferedImage(ia.getWidth() + im.getWidth(), Math.max(ia.getHeight(), im.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(ia, 0, 0, null);
        g.drawImage(im, ia.getWidth(), 0, null);
        g.dispose();
        ImageIO.write(both, "png", file.toFile());
    }

    private static XYChart chart(String y) {
        XYChart c = new XYChartBuilder().width(900).height(640).title("24 held-out photos, 768x512: " + y.split(" ")[0] + " vs rate")
                .xAxisTitle("bits per pixel").yAxisTitle(y).build();
        c.getStyler().setXAxisMin(0.0).setXAxisMax(2.0).setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE)
                .setMarkerSize(6);
        return c;
    }
}
