package io.slaft.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactPathsTest {

  @ParameterizedTest
  @ValueSource(strings = {"structure.json", "plots/gate-heatmap.png", "adapters/sst2/weights.bin", "a b/c.d"})
  void acceptsRelativeForwardSlashPaths(String path) {
    assertEquals(path, ArtifactPaths.validate(path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/../../x", "a/..", "/etc/passwd", "a\\b.txt", "..\\x", "C:/x", "a//b", "a/./b", "dir/", " ", "a\nb"})
  void rejectsTraversalAbsoluteAndBackslashPaths(String path) {
    var e = assertThrows(IllegalArgumentException.class, () -> ArtifactPaths.validate(path));
    assertTrue(e.getMessage().startsWith("artifact path"), e.getMessage());
  }
}
