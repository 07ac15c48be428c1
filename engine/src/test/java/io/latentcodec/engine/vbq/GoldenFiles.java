package io.latentcodec.engine.vbq;

import io.latentcodec.engine.image.RgbImage;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the version-2 golden VBQ file of {@link VbqGoldenTest} and its reconstruction (raw RGB),
 * from the golden image, with the encoder as published ({@link Vbq.Effort#FAST}) at lambda 16. Run
 * once when the golden was made; never again for the same format (the point of a golden file is that
 * the committed bytes stay what they are):
 * <pre>  java -cp engine/target/test-classes:... io.latentcodec.engine.vbq.GoldenFiles engine/src/test/resources/io/latentcodec/engine/vbq/golden</pre>
 */
public final class GoldenFiles {
    private GoldenFiles() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        RgbImage img = RgbImage.read(dir.resolve(VbqGoldenTest.IMAGE));
        try (VbqModel m = VbqModel.named("photo-vae")) {
            Vbq.Result r = Vbq.compress(img, m, 16.0);
            Files.write(dir.resolve(VbqGoldenTest.V2), r.container());
            Files.write(dir.resolve(VbqGoldenTest.V2_RGB), r.reconstruction().rgb());
            System.out.printf("wrote %s: %d bytes, %.4f bpp, PSNR %.2f dB%n", VbqGoldenTest.V2, r.container().length, r.stats().bpp(),
                    r.stats().psnr());
        }
    }
}
