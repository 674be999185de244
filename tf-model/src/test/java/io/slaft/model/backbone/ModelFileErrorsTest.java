package io.slaft.model.backbone;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import io.slaft.model.onnx.OnnxModel;
import io.slaft.model.tokenize.TextTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad model input gives an error that names the file and the problem, never a crash or a wrong result. */
class ModelFileErrorsTest {
  private static void assertNames(ModelFileException e, Path file, String problem) {
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    assertTrue(e.getMessage().contains(problem), "says '" + problem + "': " + e.getMessage());
  }

  @Test
  void missingModelFile(@TempDir Path dir) {
    Path f = dir.resolve("absent.onnx");
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> Backbone.load(BackboneSource.files(f, dir.resolve("tok.json"), Pooling.CLS), 64));
    assertNames(e, f, "not found");
  }

  @Test
  void truncatedOnnxFile(@TempDir Path dir) throws Exception {
    Path real = BuiltinBackbone.MINILM_L6.onnxFile();
    Path cut = dir.resolve("cut.onnx");
    try (InputStream in = Files.newInputStream(real)) {
      Files.write(cut, in.readNBytes(3_000_000));
    }
    ModelFileException e = assertThrows(ModelFileException.class, () -> OnnxModel.read(cut));
    assertNames(e, cut, "truncated");
  }

  @Test
  void corruptOnnxFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("noise.onnx");
    byte[] b = new byte[4096];
    new Random(3).nextBytes(b);
    Files.write(f, b);
    ModelFileException e = assertThrows(ModelFileException.class, () -> BertOnnxImporter.importWeights(OnnxModel.read(f)));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void emptyFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("empty.onnx");
    Files.write(f, new byte[0]);
    assertNames(assertThrows(ModelFileException.class, () -> OnnxModel.read(f)), f, "empty");
  }

  @Test
  void unsupportedOpIsNamed(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream node = new ByteArrayOutputStream();
    CodedOutputStream n = CodedOutputStream.newInstance(node);
    n.writeString(3, "/encoder/lstm");
    n.writeString(4, "LSTM");
    n.flush();
    ByteArrayOutputStream graph = new ByteArrayOutputStream();
    CodedOutputStream g = CodedOutputStream.newInstance(graph);
    g.writeByteArray(1, node.toByteArray());
    g.flush();
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    CodedOutputStream m = CodedOutputStream.newInstance(model);
    m.writeInt64(1, 7);
    m.writeByteArray(7, graph.toByteArray());
    m.flush();
    Path f = dir.resolve("lstm.onnx");
    Files.write(f, model.toByteArray());
    ModelFileException e = assertThrows(ModelFileException.class, () -> BertOnnxImporter.importWeights(OnnxModel.read(f)));
    assertNames(e, f, "LSTM");
  }

  @Test
  void tokenizerLargerThanEmbeddingTable() {
    TextTokenizer tok = TextTokenizer.load(BuiltinBackbone.MINILM_L6.tokenizerFile(), 32);
    Path model = Path.of("small-vocab.onnx");
    ModelFileException e = assertThrows(ModelFileException.class, () -> tok.checkFits(1000, model));
    assertNames(e, tok.file(), "30522");
    assertTrue(e.getMessage().contains("small-vocab.onnx"));
  }

  @Test
  void tokenizerWithoutBertSpecialsOrNotJson(@TempDir Path dir) throws Exception {
    Path noMask = dir.resolve("tokenizer.json");
    Files.writeString(noMask, "{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[PAD]\":0,\"[UNK]\":1,\"[CLS]\":2,\"[SEP]\":3,\"a\":4}}}");
    assertNames(assertThrows(ModelFileException.class, () -> TextTokenizer.load(noMask, 16)), noMask, "[MASK]");
    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{ not json");
    assertNames(assertThrows(ModelFileException.class, () -> TextTokenizer.load(notJson, 16)), notJson, "not a readable tokenizer.json");
  }

  @Test
  void unknownBuiltinListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackboneSource.builtin("gpt2"));
    assertTrue(e.getMessage().contains("minilm-l6") && e.getMessage().contains("bge-small"), e.getMessage());
  }
}
