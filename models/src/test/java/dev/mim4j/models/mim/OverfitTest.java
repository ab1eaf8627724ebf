package dev.mim4j.models.mim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import dev.mim4j.dsl.AbsolutePosition;
import dev.mim4j.dsl.Backbone;
import dev.mim4j.dsl.Initialization;
import dev.mim4j.dsl.QkvBias;
import dev.mim4j.dsl.RelativePosition;
import dev.mim4j.dsl.Swin;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.recipe.Decoder;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import dev.mim4j.models.MaskSample;
import dev.mim4j.models.Natives;
import dev.mim4j.models.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tiny model of each recipe can learn a fixed batch of 8 images: the loss falls by 90% or more. */
class OverfitTest {

    static final ViT TINY = ViT.builder().image(16, 16, 3).patchSize(4).width(64).depth(2).heads(4).build();

    @BeforeAll
    static void natives() {
        Natives.threads(1);
        torch.manual_seed(11);
    }

    @Test
    void maeOverfitsABatch() {
        MimRecipe mae = MimRecipe.mae(TINY).toBuilder().decoder(Decoder.transformer(64, 1, 4)).build();
        assertOverfits(mae);
    }

    @Test
    void simmimOverfitsABatch() {
        ViT beit = TINY.toBuilder().qkvBias(QkvBias.Q_AND_V).layerScaleInit(0.1)
                .absolutePosition(AbsolutePosition.NONE).relativePosition(RelativePosition.SHARED_BIAS)
                .initialization(Initialization.TRUNC_NORMAL).build();
        assertOverfits(MimRecipe.simmimBuilder(beit).masking(Masking.blocks(8, 0.5)).build());
    }

    @Test
    void simmimOnSwinOverfitsABatch() {
        Swin swin = Swin.builder().image(16, 16, 3).patchSize(2).embedWidth(32).depths(2, 2).heads(2, 4).window(4)
                .build();
        assertOverfits(MimRecipe.simmimBuilder(swin).masking(Masking.blocks(4, 0.5)).build());
    }

    private static void assertOverfits(MimRecipe recipe) {
        MimModel model = MimModel.compile(recipe);
        model.train(true);
        AdamW optimizer = new AdamW(model.parameters(), new AdamWOptions(2e-3));
        Tensor images = smoothImages(8, recipe.backbone());
        // The same masks every step: the batch, masks included, is what is to be learned.
        MaskSample sample = MaskSample.draw(recipe.masking(), recipe.backbone().grid(), 8, new SplittableRandom(3));
        float first = 0;
        float last = 0;
        for (int step = 0; step < 300; step++) {
            try (PointerScope scope = new PointerScope()) {
                optimizer.zero_grad();
                Tensor loss = model.forward(images, sample).loss();
                loss.backward();
                optimizer.step();
                last = loss.item_float();
                if (step == 0) {
                    first = last;
                }
            }
        }
        assertThat(last).as("loss after 300 steps, from " + first).isLessThanOrEqualTo(first * 0.1f);
    }

    /** Sums of a few random sinusoids: images with structure, as natural ones have. */
    private static Tensor smoothImages(int count, Backbone backbone) {
        int c = backbone.image().channels();
        int h = backbone.image().height();
        int w = backbone.image().width();
        SplittableRandom random = new SplittableRandom(17);
        float[] pixels = new float[count * c * h * w];
        for (int n = 0; n < count; n++) {
            for (int ch = 0; ch < c; ch++) {
                double fy = random.nextDouble(0.1, 0.8);
                double fx = random.nextDouble(0.1, 0.8);
                double phase = random.nextDouble(0, Math.PI);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        pixels[((n * c + ch) * h + y) * w + x] = (float) Math.sin(fy * y + fx * x + phase);
                    }
                }
            }
        }
        return Tensors.floats(pixels, count, c, h, w);
    }
}
