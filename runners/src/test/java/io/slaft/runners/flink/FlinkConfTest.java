package io.slaft.runners.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slaft.runners.RestartPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkConfTest {
  @TempDir Path tmp;

  private final ClusterPorts ports = new ClusterPorts(18081, 16123, 16124);

  private Configuration writeAndLoadWithFlink(ClusterOptions options) throws Exception {
    Path conf = tmp.resolve("conf");
    Files.createDirectories(conf);
    Files.writeString(conf.resolve("config.yaml"), "rest.port: 1\n");
    Path written = FlinkConf.forLocalCluster(options, ports, tmp).writeTo(conf);
    assertEquals(conf.resolve("flink-conf.yaml"), written);
    assertFalse(Files.exists(conf.resolve("config.yaml")), "a stale config.yaml would shadow nothing, but is removed");
    return GlobalConfiguration.loadConfiguration(conf.toString());
  }

  @Test
  void flinkDerivesTheTaskManagerProcessFromTheWrittenComponents() throws Exception {
    ClusterOptions options = ClusterOptions.defaults().withRestPort(0).withSlots(2);
    Configuration c = writeAndLoadWithFlink(options);
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(c);
    TaskManagerMemory m = options.taskManagerMemory();
    assertEquals(m.heapMb(), spec.getJvmHeapMemorySize().getMebiBytes());
    assertEquals(m.directMb(), spec.getJvmDirectMemorySize().getMebiBytes());
    assertEquals(m.metaspaceMb(), spec.getJvmMetaspaceSize().getMebiBytes());
    assertEquals(m.processMb(), spec.getTotalProcessMemorySize().getMebiBytes());
    assertEquals(256, spec.getNetworkMemSize().getMebiBytes());
    assertEquals(m.managedMb(), spec.getManagedMemorySize().getMebiBytes());
    assertEquals(2, spec.getNumSlots());
    assertEquals(0, spec.getCpuCores().getValue().compareTo(new java.math.BigDecimal("2.0")));
    assertEquals(List.of("-Xmx" + m.heapMb() + "m", "-Xms" + m.heapMb() + "m",
        "-XX:MaxDirectMemorySize=" + m.directMb() + "m", "-XX:MaxMetaspaceSize=" + m.metaspaceMb() + "m"),
        m.jvmArgs());
  }

  @Test
  void everyAddressIsLoopbackAndThePortsAreTheAllocatedOnes() throws Exception {
    Map<String, String> c = writeAndLoadWithFlink(ClusterOptions.defaults()).toMap();
    for (String k : List.of("jobmanager.rpc.address", "jobmanager.bind-host", "rest.address", "rest.bind-address",
        "taskmanager.host", "taskmanager.bind-host")) {
      assertEquals("127.0.0.1", c.get(k), k);
    }
    assertEquals("18081", c.get("rest.port"));
    assertEquals("16123", c.get("jobmanager.rpc.port"));
    assertEquals("16124", c.get("blob.server.port"));
    assertEquals("0", c.get("taskmanager.rpc.port"));
    assertEquals("0", c.get("taskmanager.data.port"));
    assertEquals(tmp.resolve("tmp").toString(), c.get("io.tmp.dirs"));
  }

  @Test
  void tensorFlowAndJavaCppAreParentFirst() throws Exception {
    Configuration c = writeAndLoadWithFlink(ClusterOptions.defaults());
    List<String> patterns = Arrays.asList(CoreOptions.getParentFirstLoaderPatterns(c));
    assertTrue(patterns.containsAll(List.of("org.tensorflow.", "org.bytedeco.", "com.google.protobuf.", "ai.djl.")),
        patterns.toString());
    assertTrue(patterns.contains("org.apache.flink."), "Flink's defaults stay: " + patterns);
    assertEquals("child-first", c.toMap().get("classloader.resolve-order"));
  }

  @Test
  void restartStrategyIsFixedDelay() throws Exception {
    Map<String, String> c = writeAndLoadWithFlink(ClusterOptions.defaults()
        .withRestart(new RestartPolicy(7, Duration.ofMillis(1500)))).toMap();
    assertEquals("fixed-delay", c.get("restart-strategy.type"));
    assertEquals("7", c.get("restart-strategy.fixed-delay.attempts"));
    assertEquals("1500 ms", c.get("restart-strategy.fixed-delay.delay"));
    Map<String, String> none = writeAndLoadWithFlink(ClusterOptions.defaults().withRestart(RestartPolicy.NONE)).toMap();
    assertEquals("none", none.get("restart-strategy.type"));
  }

  @Test
  void memoryAndOptionsRulesNameTheKey() {
    IllegalArgumentException net = assertThrows(IllegalArgumentException.class,
        () -> new TaskManagerMemory(128, 1024, 128, 128, 0, 128, 256, 192));
    assertEquals("taskmanager.memory.network.min/max must be at least 256 MiB, got 128", net.getMessage());
    IllegalArgumentException pf = assertThrows(IllegalArgumentException.class,
        () -> ClusterOptions.defaults().withParentFirstPatterns(List.of("org.tensorflow.")));
    assertTrue(pf.getMessage().contains("'org.bytedeco.'"), pf.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ClusterOptions.defaults().withParentFirstPatterns(List.of("org.tensorflow.;x", "org.bytedeco.")));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterOptions.defaults().withSlots(0))
        .getMessage().startsWith("--slots must be in 1..64"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterOptions.defaults().withRestPort(70000))
        .getMessage().startsWith("--port must be 0"));
  }

  @Test
  void renderIsOneKeyValueLinePerEntry() {
    FlinkConf conf = FlinkConf.forLocalCluster(ClusterOptions.defaults(), ports, tmp);
    String text = conf.render();
    long lines = text.lines().filter(l -> !l.startsWith("#")).count();
    assertEquals(conf.entries().size(), lines);
    assertTrue(text.contains("\nclassloader.parent-first-patterns.additional: "
        + "org.tensorflow.;org.bytedeco.;com.google.protobuf.;ai.djl.\n"), text);
    assertTrue(text.contains("\ntaskmanager.numberOfTaskSlots: 2\n"));
    assertTrue(text.contains("\ntaskmanager.cpu.cores: 2.0\n"));
  }
}
