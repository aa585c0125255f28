// The characters no field of ours may hold, whatever carries it: git's credential protocol
// (a line per field), our token files and the control plane's answers. A leaf, so the codec,
// the cache, the file store and the control plane share it without importing each other.
/** C0 controls, DEL, and the Unicode line/paragraph separators are never valid in a field. */
export function hasForbiddenChar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}
