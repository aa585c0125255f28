// Pure: which platform an executable or addon was built for, from its header (ELF: e_machine; Mach-O 64: cputype;
// PE: the COFF Machine field), so the verification catches a runtime or keyring.node of the wrong platform.
// References: the ELF gABI (EM_X86_64 62, EM_AARCH64 183), <mach-o/loader.h> (MH_MAGIC_64, CPU_TYPE_X86_64,
// CPU_TYPE_ARM64), Microsoft's PE format page (IMAGE_FILE_MACHINE_AMD64 0x8664).
export function platformOf(buf) {
  if (buf.length >= 20 && buf.readUInt32BE(0) === 0x7f454c46) {
    const m = buf.readUInt16LE(18);
    return m === 62 ? 'linux-x64' : m === 183 ? 'linux-arm64' : `elf-machine-${m}`;
  }
  if (buf.length >= 8 && buf.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = buf.readUInt32LE(4);
    return cpu === 0x01000007 ? 'darwin-x64' : cpu === 0x0100000c ? 'darwin-arm64' : `macho-cpu-${cpu.toString(16)}`;
  }
  if (buf.length >= 0x40 && buf.toString('latin1', 0, 2) === 'MZ') {
    const pe = buf.readUInt32LE(0x3c);
    if (pe + 6 <= buf.length && buf.readUInt32LE(pe) === 0x00004550) {
      const m = buf.readUInt16LE(pe + 4);
      return m === 0x8664 ? 'windows-x64' : `pe-machine-${m.toString(16)}`;
    }
  }
  return 'unknown';
}
