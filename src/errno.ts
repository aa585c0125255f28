// A file system failure in words a person understands: Node's errno codes (from libuv, and
// Bun's, which reports some refusals as EFAULT where Node says EPERM or EACCES) become what went
// wrong, with the code kept in brackets for a search or a bug report.
// Codes: https://nodejs.org/api/errors.html#common-system-errors and errno(3).

const words: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted (the file may be immutable, e.g. `chattr +i`, or belong to another user)',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space is left on the device',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'it does not exist',
  ELOOP: 'it is a loop of symbolic links',
  EBUSY: 'it is busy (in use by another program)',
  EIO: 'an input/output error of the device',
  ETXTBSY: 'it is busy (in use by another program)',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the path is too long',
  // Bun (its single executable runs these tools) reports a write the kernel refused as EFAULT.
  EFAULT: 'the system refused the change (the file may be immutable, read-only or belong to another user)',
};

/** `permission denied (EACCES)`; an unknown code as itself; no code: the error's message, one line. */
export function describeErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]{1,20}$/.test(code)) return words[code] ? `${words[code]} (${code})` : code;
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0]!.slice(0, 200);
}
