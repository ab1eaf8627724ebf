package dev.mim4j.dsl.extension;

import static dev.mim4j.dsl.SpecChecks.atLeastOne;
import static dev.mim4j.dsl.SpecChecks.check;
import static dev.mim4j.dsl.SpecChecks.positive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mim4j.dsl.SpecException;
import dev.mim4j.dsl.SpecJson;
import dev.mim4j.dsl.TokenGrid;
import dev.mim4j.dsl.ViT;
import dev.mim4j.dsl.part.GeluMlp;
import dev.mim4j.dsl.part.MlpPart;
import dev.mim4j.dsl.recipe.Masking;
import dev.mim4j.dsl.recipe.MimRecipe;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parts written outside the library, as a user writes them: each is a record that checks its own
 * numbers, implements its family's interface, and joins spec JSON by registering a name once.
 * This package is not the library's, so only its public API is used.
 */
class UserPartsTest {

    /**
     * LLaMA's gated MLP ({@code w2(silu(w1 x) * w3 x)}) whose hidden width is two thirds of
     * {@code ratio} times the token width, so that it has about the parameters of a GELU MLP of that ratio.
     */
    public record SwiGlu(double ratio) implements MlpPart {

        public SwiGlu {
            positive("swiglu ratio", ratio);
        }

        public int hidden(int width) {
            return (int) (width * ratio * 2 / 3);
        }

        @Override
        public void validate(int width) {
            check(hidden(width) >= 1, "swiglu ratio %s gives no hidden unit for width %d", ratio, width);
        }

        @Override
        public String describe(int width) {
            return "swiglu " + hidden(width);
        }
    }

    /**
     * Masks every other square of {@code period x period} tokens, like the black squares of a
     * checkerboard; the random source picks which colour is masked in each image.
     */
    public record Checkerboard(int period) implements Masking {

        public Checkerboard {
            atLeastOne("checkerboard period", period);
        }

        @Override
        public void validate(TokenGrid grid) {
            check(grid.rows() > period || grid.columns() > period,
                    "checkerboard period %d makes one square of the whole %dx%d grid", period, grid.rows(),
                    grid.columns());
        }

        @Override
        public boolean[] sample(TokenGrid grid, RandomGenerator random) {
            int masked = random.nextBoolean() ? 1 : 0;
            boolean[] mask = new boolean[grid.tokens()];
            for (int row = 0; row < grid.rows(); row++) {
                for (int column = 0; column < grid.columns(); column++) {
                    mask[row * grid.columns() + column] = (row / period + column / period) % 2 == masked;
                }
            }
            return mask;
        }

        @Override
        public String describe() {
            return "checkerboard of " + period;
        }
    }

    /** A part that is never registered. */
    public record GatedGelu(double ratio) implements MlpPart {

        @Override
        public void validate(int width) {
        }

        @Override
        public String describe(int width) {
            return "gated gelu";
        }
    }

    /** A part that is not a record, so that it could not be read back. */
    public static final class Fixed implements Masking {

        @Override
        public void validate(TokenGrid grid) {
        }

        @Override
        public boolean[] sample(TokenGrid grid, RandomGenerator random) {
            return new boolean[grid.tokens()];
        }

        @Override
        public String describe() {
            return "fixed";
        }
    }

    /** 112x112 RGB in 16 px patches: a 7x7 grid. */
    private static final ViT SWIGLU_VIT = ViT.builder()
            .image(112, 112, 3).patchSize(16).width(192).depth(2).heads(3)
            .mlp(new SwiGlu(4.0))
            .build();

    @BeforeAll
    static void registerTheParts() {
        // Once per JVM is enough; registering the same record under the same name again does nothing.
        SpecJson.register(MlpPart.class, "swiGlu", SwiGlu.class);
        SpecJson.register(Masking.class, "checkerboard", Checkerboard.class);
        SpecJson.register(Masking.class, "checkerboard", Checkerboard.class);
    }

    @Test
    void partsOfYourOwnFitAViTAndARecipe() {
        MimRecipe recipe = MimRecipe.simmimBuilder(SWIGLU_VIT).masking(new Checkerboard(2)).build();

        assertThat(SWIGLU_VIT.block(1).mlp()).isEqualTo(new SwiGlu(4.0));
        assertThat(SWIGLU_VIT.describe()).contains(", swiglu 512, qkv FUSED,");
        assertThat(recipe.describe()).startsWith("checkerboard of 2, replace masked tokens with a mask token,");
    }

    @Test
    void aPartOfYourOwnChecksItselfWhenARecipeIsBuilt() {
        assertThatThrownBy(() -> MimRecipe.simmimBuilder(SWIGLU_VIT).masking(new Checkerboard(7)).build())
                .isInstanceOf(SpecException.class)
                .hasMessage("checkerboard period 7 makes one square of the whole 7x7 grid");
        assertThatThrownBy(() -> SWIGLU_VIT.toBuilder().width(3).heads(1).mlp(new SwiGlu(0.25)).build())
                .isInstanceOf(SpecException.class)
                .hasMessage("swiglu ratio 0.25 gives no hidden unit for width 3");
    }

    @Test
    void aCheckerboardMasksAlternateSquaresOfEitherColour() {
        TokenGrid grid = new TokenGrid(4, 6, 16);
        Checkerboard masking = new Checkerboard(2);
        Random random = new Random(1);

        boolean[] first = masking.sample(grid, random);
        boolean[] second = masking.sample(grid, random);

        for (boolean[] mask : new boolean[][] {first, second}) {
            assertThat(mask[0]).isEqualTo(mask[1]).isEqualTo(mask[6]).isEqualTo(mask[7]).isNotEqualTo(mask[2]);
            int masked = 0;
            for (boolean token : mask) {
                masked += token ? 1 : 0;
            }
            assertThat(masked).isEqualTo(12);
        }
        assertThat(masking.sample(grid, new Random(1))).isEqualTo(first);
    }

    @Test
    void registeredPartsAreWrittenWithTheirNameAndReadBackEqual() {
        MimRecipe recipe = MimRecipe.simmimBuilder(SWIGLU_VIT).masking(new Checkerboard(2)).build();

        String json = SpecJson.toJson(recipe);

        assertThat(json)
                .contains("\"mlp\": {\n      \"type\": \"swiGlu\",\n      \"ratio\": 4.0\n    }")
                .contains("\"masking\": {\n    \"type\": \"checkerboard\",\n    \"period\": 2\n  }");
        assertThat(SpecJson.fromJson(json, MimRecipe.class)).isEqualTo(recipe);
        assertThat(SpecJson.fromJson(SpecJson.toJson(SWIGLU_VIT), ViT.class)).isEqualTo(SWIGLU_VIT);
        assertThat(SpecJson.registered(MlpPart.class))
                .containsEntry("gelu", GeluMlp.class)
                .containsEntry("swiGlu", SwiGlu.class);
    }

    @Test
    void aPartOfYourOwnThatDoesNotFitFailsWithItsOwnSentenceWhenRead() {
        String json = SpecJson.toJson(SWIGLU_VIT).replace("\"ratio\": 4.0", "\"ratio\": -1.0");

        assertThatThrownBy(() -> SpecJson.fromJson(json, ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("swiglu ratio -1.0 must be positive");
    }

    @Test
    void anUnknownTypeListsTheBuiltInAndTheRegisteredNames() {
        String vit = SpecJson.toJson(SWIGLU_VIT).replace("\"swiGlu\"", "\"swiGLU\"");
        String recipe = SpecJson.toJson(MimRecipe.simmimBuilder(SWIGLU_VIT).masking(new Checkerboard(2)).build())
                .replace("\"checkerboard\"", "\"chess\"");

        assertThatThrownBy(() -> SpecJson.fromJson(vit, ViT.class))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("field mlp.type in ViT: unknown value 'swiGLU', expected one of gelu, swiGlu")
                .hasMessageEndingWith(" (a part of your own joins with SpecJson.register)");
        assertThatThrownBy(() -> SpecJson.fromJson(recipe, MimRecipe.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("field masking.type in MimRecipe: unknown value 'chess', expected one of"
                        + " randomPatches, blocks, explicit, checkerboard"
                        + " (a part of your own joins with SpecJson.register)");
    }

    @Test
    void aPartThatIsNotRegisteredCannotBeWritten() {
        ViT vit = SWIGLU_VIT.toBuilder().mlp(new GatedGelu(4.0)).build();

        assertThatThrownBy(() -> SpecJson.toJson(vit))
                .isInstanceOf(SpecException.class)
                .hasMessage("dev.mim4j.dsl.extension.UserPartsTest$GatedGelu at ViT.mlp is not registered,"
                        + " so it cannot be saved and read back: call"
                        + " SpecJson.register(MlpPart.class, \"<name>\", GatedGelu.class) once, before writing");
        assertThatThrownBy(() -> SpecJson.toJson(MimRecipe.simmimBuilder(vit).masking(new Checkerboard(2)).build()))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("dev.mim4j.dsl.extension.UserPartsTest$GatedGelu at MimRecipe.backbone.mlp"
                        + " is not registered");
        assertThatThrownBy(() -> SpecJson.toJson(new GatedGelu(2.0)))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("dev.mim4j.dsl.extension.UserPartsTest$GatedGelu at GatedGelu is not registered");
    }

    @Test
    void aNameIsTakenOnceAndAPartHasOneName() {
        assertThatThrownBy(() -> SpecJson.register(MlpPart.class, "gelu", GatedGelu.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("MlpPart name 'gelu' is already taken by dev.mim4j.dsl.part.GeluMlp");
        assertThatThrownBy(() -> SpecJson.register(Masking.class, "checkers", Checkerboard.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("dev.mim4j.dsl.extension.UserPartsTest$Checkerboard is already registered as"
                        + " Masking 'checkerboard'");
        assertThat(SpecJson.registered(MlpPart.class)).doesNotContainValue(GatedGelu.class);
        assertThat(SpecJson.registered(Masking.class)).doesNotContainKey("checkers");
    }

    @Test
    void onlyARecordOfAFamilyCanBeRegisteredUnderAName() {
        assertThatThrownBy(() -> SpecJson.register(Runnable.class, "task", null))
                .isInstanceOf(SpecException.class)
                .hasMessage("type must be given");
        assertThatThrownBy(() -> SpecJson.register(Record.class, "swiGlu", SwiGlu.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("Record is not a part family; expected one of Backbone, AttentionPart, MlpPart,"
                        + " NormPart, Masking, Decoder, Target, Loss");
        assertThatThrownBy(() -> SpecJson.register(Masking.class, "fixed", Fixed.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("dev.mim4j.dsl.extension.UserPartsTest$Fixed must be a record to be read from JSON");
        assertThatThrownBy(() -> SpecJson.register(MlpPart.class, "gated gelu", GatedGelu.class))
                .isInstanceOf(SpecException.class)
                .hasMessage("part name 'gated gelu' must start with a letter and hold only letters, digits,"
                        + " '_', '.' and '-'");
    }

    /** A record that is not public, as a part written next to its use often is. */
    record LocalSwiGlu(double ratio) implements MlpPart {

        @Override
        public void validate(int width) {
        }

        @Override
        public String describe(int width) {
            return "local swiglu";
        }
    }

    @Test
    void aRegisteredPartThatIsNotPublicIsWrittenAndReadBackToo() {
        SpecJson.register(MlpPart.class, "localSwiGlu", LocalSwiGlu.class);
        ViT vit = SWIGLU_VIT.toBuilder().mlp(new LocalSwiGlu(2.0)).build();

        assertThat(SpecJson.fromJson(SpecJson.toJson(vit), ViT.class)).isEqualTo(vit);
    }
}
