package dev.mim4j.dsl.stage;

/**
 * The kind of data that is every token of a grid, row-major, with its resolution known
 * ([batch, rows, columns, width], held as [batch, rows x columns, width]). A grid is a sequence of
 * tokens too, so a stage over tokens takes it; a stage over grids (patch merging, window attention)
 * takes nothing else, which is how a backbone that needs the whole grid refuses dropped tokens.
 */
public final class Grid extends Tokens {
    private Grid() {}
}
