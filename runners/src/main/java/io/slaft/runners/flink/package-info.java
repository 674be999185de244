/**
 * The local Flink 1.19 standalone session cluster: {@link LocalFlinkCluster} starts one JobManager
 * and one TaskManager as separate JVMs bound to 127.0.0.1, configured by {@link ClusterOptions},
 * {@link TaskManagerMemory} and the written {@link FlinkConf}, and keeps its state in a state
 * directory; {@link ClusterStatus} and {@link ClusterOverview} report on it through the read-only
 * {@link FlinkRestClient}.
 */
package io.slaft.runners.flink;
