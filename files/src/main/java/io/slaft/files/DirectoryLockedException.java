package io.slaft.files;

import java.nio.file.Path;

/** Another live process (or another run in this JVM) owns the output directory. */
public final class DirectoryLockedException extends RuntimeException {
  private final Path directory;
  private final long holderPid;

  DirectoryLockedException(Path directory, DirectoryLock.Holder holder) {
    super(directory + " is in use by pid " + holder.pid() + " (" + holder.command() + ", since " + holder.started()
        + "); wait for it to finish, stop it, or use another --out");
    this.directory = directory;
    this.holderPid = holder.pid();
  }

  public Path directory() {
    return directory;
  }

  /** Process id of the current owner. */
  public long holderPid() {
    return holderPid;
  }
}
