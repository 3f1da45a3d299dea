// Reading a file named by an input (ca-certificate), bounded: only a regular file, only up to a
// size limit, and never blocking. A path is outside text: `/dev/zero` would be read forever, a FIFO
// without a writer would hang the step, `/etc` is a directory. Each is refused by what it is.

import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs'

/**
 * Size limit for a CA file: 1 MiB. A bundle of a whole public trust store (Mozilla's holds about
 * 150 roots in roughly 220 KB of PEM) fits several times over; anything larger is not a CA file.
 */
export const MAX_CA_FILE_BYTES = 1024 * 1024

export type BoundedRead = string | undefined | { readonly refused: string }

/**
 * The file's content as latin1 (so DER survives byte for byte), undefined when nothing is at the
 * path, or `{ refused }` saying what is there instead of a regular file of at most `maxBytes`.
 */
export function readBoundedFile(path: string, maxBytes: number = MAX_CA_FILE_BYTES): BoundedRead {
  // stat (following symlinks: a checked-out symlink to a PEM file is fine) before opening, so a
  // device or FIFO is never opened at all; opening can have effects (a tape rewinds, a FIFO waits).
  let before: Stats
  try {
    before = statSync(path)
  } catch (error) {
    return notReadable(error)
  }
  const kind = notRegular(before)
  if (kind !== undefined) return { refused: kind }
  if (before.size > maxBytes) return { refused: tooLarge(before.size, maxBytes) }

  // O_NONBLOCK: should the path have been swapped for a FIFO since the stat, open still returns
  // at once; the fstat below then refuses it.
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0))
  } catch (error) {
    return notReadable(error)
  }
  try {
    const opened = fstatSync(fd)
    const swapped = notRegular(opened)
    if (swapped !== undefined) return { refused: swapped }
    // One byte more than the limit tells a file that grew since the stat from one that fits.
    const buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1)
    let length = 0
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
    }
    if (length > maxBytes) return { refused: tooLarge(length, maxBytes, 'at least ') }
    return buffer.subarray(0, length).toString('latin1')
  } catch (error) {
    return notReadable(error)
  } finally {
    closeSync(fd)
  }
}

function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined
  if (stats.isDirectory()) return 'is a directory, not a file'
  if (stats.isFIFO()) return 'is a FIFO (named pipe), not a regular file'
  if (stats.isCharacterDevice()) return 'is a character device, not a regular file'
  if (stats.isBlockDevice()) return 'is a block device, not a regular file'
  if (stats.isSocket()) return 'is a socket, not a regular file'
  return 'is not a regular file'
}

function tooLarge(size: number, maxBytes: number, prefix = ''): string {
  const exact = size >= 1024 ? ` (${size} bytes)` : ''
  return `is ${prefix}${humanSize(size)}${exact}, more than the ${humanSize(maxBytes)} a CA file may have`
}

function humanSize(bytes: number): string {
  const unit = (n: number, name: string): string => `${n.toFixed(1).replace(/\.0$/, '')} ${name}`
  if (bytes >= 1024 * 1024) return unit(bytes / (1024 * 1024), 'MiB')
  if (bytes >= 1024) return unit(bytes / 1024, 'KiB')
  return `${bytes} bytes`
}

function notReadable(error: unknown): BoundedRead {
  const code = (error as NodeJS.ErrnoException).code
  // Nothing there (or a path through a non-directory): the caller says where it looked.
  // No file of that name: the value may be base64 DER, whose length and slashes make it read as an
  // over-long or nested path.
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return undefined
  if (code === 'EACCES' || code === 'EPERM') return { refused: 'cannot be read (permission denied)' }
  if (code === 'ELOOP') return { refused: 'is a symbolic link loop' }
  return { refused: `cannot be read (${code ?? String(error)})` }
}
