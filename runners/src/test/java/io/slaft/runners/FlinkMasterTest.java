package io.slaft.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlinkMasterTest {

  @Test
  void parsesHostPortAndToleratesSchemeAndSlash() {
    assertEquals(new FlinkMaster("localhost", 8081), FlinkMaster.parse("localhost:8081"));
    assertEquals(new FlinkMaster("10.1.2.3", 18081), FlinkMaster.parse(" http://10.1.2.3:18081/ "));
    assertEquals("flink-jm.example:8081", FlinkMaster.parse("flink-jm.example:8081").toString());
  }

  @Test
  void rejectsMalformedValuesNamingTheExpectedForm() {
    for (String bad : new String[] {"localhost", "localhost:", ":8081", "localhost:http", "localhost:0",
        "localhost:70000", "https://h:1/x"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlinkMaster.parse(bad), bad);
      assertTrue(e.getMessage().contains("--flink-master"), e.getMessage());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FlinkMaster.parse(null)).getMessage()
        .contains("./slaft flink start"));
  }

  @Test
  void embeddedMasterPointsToTheFlinkLocalRunner() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlinkMaster.parse("[local]"));
    assertTrue(e.getMessage().contains("--runner flink-local"), e.getMessage());
  }

  @Test
  void reachableWhenSomethingListens() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      new FlinkMaster("127.0.0.1", s.getLocalPort()).requireReachable(Duration.ofSeconds(2));
    }
  }

  @Test
  void unreachableNamesTheAddressAndHowToStartTheLocalCluster() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    FlinkMaster m = new FlinkMaster("127.0.0.1", port);
    FlinkMasterUnreachableException e =
        assertThrows(FlinkMasterUnreachableException.class, () -> m.requireReachable(Duration.ofSeconds(2)));
    assertTrue(e.getMessage().startsWith("no Flink cluster reachable at 127.0.0.1:" + port), e.getMessage());
    assertTrue(e.getMessage().contains("./slaft flink start"), e.getMessage());
  }
}
