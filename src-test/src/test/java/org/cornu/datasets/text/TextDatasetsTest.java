package org.cornu.datasets.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * textDatasetFromDirectory against Keras's {@code index_directory} rules, on a folder the test writes: classes are the
 * non-hidden sub-folders sorted by name ({@code pos-extra} after {@code pos}), files of each class found recursively,
 * folders sorted by path ({@code pos-extra} before {@code pos/sub}, as '-' < '/'), names sorted in each folder, any
 * case of {@code .txt}; the seeded shuffle is NumPy's {@code RandomState(1337).shuffle}, whose permutation of 7 is
 * {@code [6, 2, 1, 3, 0, 4, 5]} ({@code np.random.RandomState(1337).permutation(7)}); the validation split is the last
 * {@code int(0.3 * 7) = 2} files. (Keras 3.15.1's {@code index_directory} listed the same files in the same orders.)
 */
class TextDatasetsTest {
    @TempDir
    Path dir;

    private static void write(Path p, String s) throws Exception {
        Files.createDirectories(p.getParent());
        Files.write(p, s.getBytes(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void folders() throws Exception {
        write(dir.resolve("pos/b.txt"), "good movie");
        write(dir.resolve("pos/a.TXT"), "great");
        write(dir.resolve("pos/sub/c.txt"), "nested fine");
        write(dir.resolve("pos/notes.md"), "ignored");
        write(dir.resolve("neg/z.txt"), "bad film");
        write(dir.resolve("neg/y.txt"), "awful");
        write(dir.resolve("neg/x.txt"), "meh");
        write(dir.resolve(".hidden/h.txt"), "hidden");
        write(dir.resolve("pos-extra/e.txt"), "extra");
        write(dir.resolve("top.txt"), "top");
    }

    private List<String> rel(TextDataset d) {
        List<String> r = new ArrayList<>();
        for (Path p : d.filePaths()) r.add(dir.relativize(p).toString());
        return r;
    }

    @Test
    void sortedOrderAndInferredLabels() {
        TextDataset d = TextDatasets.textDatasetFromDirectory(dir).shuffle(false).build();
        assertEquals(List.of("neg", "pos", "pos-extra"), d.classNames());
        assertEquals(List.of("neg/x.txt", "neg/y.txt", "neg/z.txt", "pos/a.TXT", "pos/b.txt", "pos/sub/c.txt", "pos-extra/e.txt"), rel(d));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2}, d.labels());
        assertEquals(List.of("meh", "awful", "bad film", "great", "good movie", "nested fine", "extra"), d.texts());
        INDArray y = d.labelArray();
        assertEquals(DataType.INT, y.dataType());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2}, y.toIntVector());
    }

    @Test
    void seededShuffleAndSplitAsKeras() {
        TextDataset all = TextDatasets.textDatasetFromDirectory(dir).seed(1337).build();
        List<String> shuffled = List.of("pos-extra/e.txt", "neg/z.txt", "neg/y.txt", "pos/a.TXT", "neg/x.txt", "pos/b.txt", "pos/sub/c.txt");
        assertEquals(shuffled, rel(all));
        assertArrayEquals(new int[] {2, 0, 0, 1, 0, 1, 1}, all.labels());
        TextDataset[] both = TextDatasets.textDatasetFromDirectory(dir).seed(1337).validationSplit(0.3).subset("both").buildBoth();
        assertEquals(shuffled.subList(0, 5), rel(both[0]));
        assertEquals(shuffled.subList(5, 7), rel(both[1]));
        TextDataset val = TextDatasets.textDatasetFromDirectory(dir).seed(1337).validationSplit(0.3).subset("validation").build();
        assertEquals(rel(both[1]), rel(val));
        assertArrayEquals(new int[] {1, 1}, val.labels());
    }

    @Test
    void batchesLabelModesAndMaxLength() {
        TextDataset d = TextDatasets.textDatasetFromDirectory(dir).shuffle(false).batchSize(3).labelMode("categorical").build();
        List<TextDataset.Batch> bs = new ArrayList<>();
        d.forEach(bs::add);
        assertEquals(3, bs.size());
        assertEquals(3, d.numBatches());
        assertEquals(List.of("meh", "awful", "bad film"), bs.get(0).texts());
        assertEquals(List.of("extra"), bs.get(2).texts());
        assertArrayEquals(new long[] {3, 3}, bs.get(0).y().shape());
        assertArrayEquals(new float[] {0, 1, 0, 0, 1, 0, 0, 1, 0}, bs.get(1).y().dup('c').data().asFloat(), 0f);
        // binary needs two classes: class_names picks them (in the given order)
        TextDataset b = TextDatasets.textDatasetFromDirectory(dir).shuffle(false).labelMode("binary").classNames(List.of("pos", "neg"))
                .maxLength(4).build();
        assertEquals(List.of("grea", "good", "nest", "meh", "awfu", "bad "), b.texts());
        INDArray y = b.labelArray();
        assertArrayEquals(new long[] {6, 1}, y.shape());
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1}, y.dup('c').data().asFloat(), 0f);
        assertThrows(IllegalArgumentException.class, () -> TextDatasets.textDatasetFromDirectory(dir).labelMode("binary").build());
        TextDataset none = TextDatasets.textDatasetFromDirectory(dir).shuffle(false).labelMode(null).build();
        assertNull(none.labelArray());
        assertNull(none.iterator().next().y());
    }

    @Test
    void maxLengthCountsUtf8Bytes() throws Exception {
        Path d = dir.resolve("utf");
        write(d.resolve("c/t.txt"), "été");
        TextDataset t = TextDatasets.textDatasetFromDirectory(d).maxLength(3).build();
        // "été" is C3 A9 74 C3 A9: three bytes keep "ét"; two keep "é"; one cuts é (U+FFFD)
        assertEquals("ét", t.text(0));
        assertEquals("é", TextDatasets.textDatasetFromDirectory(d).maxLength(2).build().text(0));
        assertEquals("\ufffd", TextDatasets.textDatasetFromDirectory(d).maxLength(1).build().text(0));
    }

    @Test
    void explicitOrNoLabelsWalkTheWholeDirectory() {
        // the parent folder itself, hidden folders included: top.txt, .hidden/h.txt, neg/..., pos/a, pos/b, pos-extra/e, pos/sub/c
        TextDataset d = TextDatasets.textDatasetFromDirectory(dir).labels((String) null).shuffle(false).build();
        assertEquals(List.of("top.txt", ".hidden/h.txt", "neg/x.txt", "neg/y.txt", "neg/z.txt", "pos/a.TXT", "pos/b.txt",
                "pos-extra/e.txt", "pos/sub/c.txt"), rel(d));
        assertNull(d.labels());
        assertNull(d.classNames());
        TextDataset e = TextDatasets.textDatasetFromDirectory(dir).labels(List.of(3, 1, 1, 1, 1, 3, 3, 3, 3)).shuffle(false)
                .labelMode("categorical").build();
        assertEquals(List.of("1", "3"), e.classNames());
        // tf.one_hot(3, 2) is a zero row, as Keras encodes a label past the class count
        assertArrayEquals(new float[] {0, 0}, e.labelArray().getRow(0).dup().data().asFloat(), 0f);
        assertArrayEquals(new float[] {0, 1}, e.labelArray().getRow(1).dup().data().asFloat(), 0f);
        assertThrows(IllegalArgumentException.class, () -> TextDatasets.textDatasetFromDirectory(dir).labels(List.of(1, 2)).build());
    }

    @Test
    void badArgumentsAreRefusedAsKerasRefusesThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextDatasets.textDatasetFromDirectory(dir).validationSplit(0.2).subset("training").build());
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TextDatasets.textDatasetFromDirectory(dir).validationSplit(0.2).build());
        assertThrows(IllegalArgumentException.class, () -> TextDatasets.textDatasetFromDirectory(dir).classNames(List.of("nope")).build());
        assertThrows(IllegalArgumentException.class, () -> TextDatasets.textDatasetFromDirectory(dir.resolve("missing")).build());
        assertThrows(IllegalArgumentException.class, () -> TextDatasets.textDatasetFromDirectory(dir).labelMode("sparse"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> TextDatasets.textDatasetFromDirectory(dir.resolve("pos/sub")).build());
        assertTrue(empty.getMessage().contains("No text files found"), empty.getMessage());
    }
}
