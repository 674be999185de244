package io.slaft.tracking.record;

import static com.google.common.base.Preconditions.checkNotNull;

import io.slaft.tracking.ArtifactPaths;
import io.slaft.tracking.RunRef;

/**
 * Upload of a file to {@code artifactPath} in the run's artifact root; uploading again replaces
 * the file. {@code localFile} is the tracker's own snapshot of the caller's file.
 */
public record LogArtifact(String id, RunRef run, String localFile, String artifactPath, long sizeBytes)
    implements TrackingRecord {

  public LogArtifact {
    checkNotNull(id, "id must not be null");
    checkNotNull(run, "run must not be null");
    checkNotNull(localFile, "localFile must not be null");
    ArtifactPaths.validate(artifactPath);
  }

  @Override
  public java.util.List<String> localFiles() {
    return java.util.List.of(localFile);
  }
}
