/**
 * Durable files, one rule for every module that writes state a user depends on.
 *
 * <ul>
 *   <li>{@link AtomicFiles}: every file is written to a temporary sibling, forced to disk, renamed
 *       over its target and the directory forced, so a crash, a kill or a full disk leaves the
 *       previous complete file (or none), never a torn one. A failed write throws {@link
 *       FileWriteException} naming the path and the errno.
 *   <li>{@link Sealed}: binary files (checkpoints, weights, prepared splits) end with a content
 *       checksum written last and verified on read; {@link SealedJson} does the same for JSON
 *       documents (step-cache results, bench cells) inside the document. A mismatch is a {@link
 *       CorruptFileException} naming the file.
 *   <li>{@link DirectoryLock}: one owner per output directory; a second owner fails at once with the
 *       holder's pid and command, a stale lock is taken over.
 * </ul>
 *
 * <p>This module depends on nothing of slaft's and is read by all of them.
 */
package io.slaft.files;
