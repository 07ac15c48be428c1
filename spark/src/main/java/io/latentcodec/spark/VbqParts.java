package io.latentcodec.spark;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.engine.vbq.Vbq;
import io.latentcodec.engine.vbq.VbqModel;
import io.latentcodec.models.data.GrayImage;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The VBQ codec's parts: a part is its images' VBQ containers one after another (each an ordinary
 * {@code .lc} file of its own: the container's header gives its length), in data-set order. The
 * manifest's {@code pixelsCrc32c} is that of the reconstructions' RGB bytes, image after image: what
 * the decoder produces, the same on every machine (the coder sees the deterministic Java decoder's
 * floats), so verify and decompress check it.
 */
final class VbqParts {
    private VbqParts() {
    }

    /**
     * How to code each image: at trade-off {@code lambda}, or at the smallest lambda whose file has
     * at most {@code bpp} bits per pixel ({@code bpp > 0}), with the encoder's effort ({@link Vbq.Effort}: gradient steps
     * refining its means, rounds tuning the chosen points).
     */
    record Rate(double lambda, double bpp, int refineSteps, int tuneRounds) implements Serializable {
        /** At the CLI's default effort ({@link Vbq.Effort#THOROUGH}): the same files as {@code ./latentcodec compress --codec vbq}. */
        Rate(double lambda, double bpp) {
            this(lambda, bpp, Vbq.Effort.THOROUGH.refineSteps(), Vbq.Effort.THOROUGH.tuneRounds());
        }

        Rate {
            if (bpp != 0 ? !(bpp > 0 && bpp <= 24) : !(lambda > 0 && lambda < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(bpp != 0 ? "--bpp must be in (0, 24], got " + bpp : "--lambda must be a positive number, got " + lambda);
            }
        }

        Vbq.Result code(RgbImage image, VbqModel model) {
            Vbq.Analysis a = Vbq.analyze(image, model, new Vbq.Effort(refineSteps, tuneRounds));
            return bpp != 0 ? a.compressToBpp(bpp) : a.compress(lambda);
        }
    }

    /** A colour image from an image file's bytes (PNG, JPEG, what ImageIO reads; a grey PGM as grey RGB); errors name {@code what}. */
    static RgbImage photo(byte[] file, String what) {
        try {
            java.awt.image.BufferedImage img = ImageIO.read(new ByteArrayInputStream(file));
            if (img != null) {
                return RgbImage.of(img);
            }
            if (GrayImage.isImageFile(file)) {
                GrayImage g = GrayImage.parse(file);
                byte[] rgb = new byte[3 * g.pixels().length];
                for (int i = 0; i < g.pixels().length; i++) {
                    rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = g.pixels()[i];
                }
                return new RgbImage(g.width(), g.height(), rgb);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(what + ": not an image file (PNG, JPEG or PGM)");
    }

    /**
     * Fails unless TensorFlow is on this JVM's class path: VBQ's encoder network runs with it, on the
     * driver (the model's check) and on every executor. {@code where} names the JVM in the message.
     */
    static void requireTensorFlow(String where) {
        try {
            Class.forName("org.tensorflow.Tensor", false, VbqParts.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("VBQ compression runs its encoder network with TensorFlow, which the " + where
                    + "'s class path lacks: pass TensorFlow Java's jars (tensorflow-core-api-1.1.0.jar, tensorflow-core-native-1.1.0.jar "
                    + "and tensorflow-core-native-1.1.0-linux-x86_64.jar, from Maven Central) with spark-submit --jars "
                    + "(decompress and verify need none)");
        }
    }

    /** One task: its images coded one by one, the containers written as one part under the staging directory. */
    static Iterator<CompressJob.Written> compressPart(int index, Iterator<byte[]> files, VbqModelFiles model, Rate rate, String dir,
                                                     HadoopConf conf) throws IOException {
        requireTensorFlow("executor");
        VbqModel m = model.open();
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        CRC32C pixels = new CRC32C();
        long images = 0;
        long pixelCount = 0;
        while (files.hasNext()) {
            RgbImage photo = photo(files.next(), DataSetManifest.partFile(index) + ", image " + images);
            Vbq.Result r = rate.code(photo, m);
            part.write(r.container());
            pixels.update(r.reconstruction().rgb());
            images++;
            pixelCount += (long) photo.width() * photo.height();
        }
        byte[] bytes = part.toByteArray();
        String attempt = DataSetManifest.partFile(index) + ".attempt-" + (TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId());
        Path p = new Path(dir, attempt);
        CompressJob.writeFile(HadoopFs.of(p, conf.get()), p, bytes);
        CRC32C file = new CRC32C();
        file.update(bytes);
        return List.of(new CompressJob.Written(index, attempt, images, pixelCount, bytes.length, (int) file.getValue(), (int) pixels.getValue())).iterator();
    }

    /** A part's images: every container decoded (its own checks: header CRC, fingerprint, the reconstruction's CRC32C). */
    static List<RgbImage> decode(byte[] part, VbqModel model) {
        MemorySegment in = MemorySegment.ofArray(part);
        List<RgbImage> out = new ArrayList<>();
        long at = 0;
        while (at < part.length) {
            try {
                Container.Header h = Container.readMember(in.asSlice(at));
                if (h.codec() != CodecId.VBQ) {
                    throw new CorruptInputException(5, "a " + h.codec().cliName() + " container in a VBQ part");
                }
                out.add(Vbq.decompress(in.asSlice(at, h.totalBytes()), model));
                at += h.totalBytes();
            } catch (CorruptInputException e) {
                throw new CorruptInputException(at + Math.max(0, e.offset()), "image " + out.size() + " (at byte " + at + "): "
                        + e.reason(), e);
            }
        }
        return out;
    }
}
