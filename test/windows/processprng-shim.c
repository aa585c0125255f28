/* A stand-in bcryptprimitives.dll for Wine 8, used by test:windows only (never shipped).
 *
 * Bun's windows-x64 runtime imports ProcessPrng from bcryptprimitives.dll (the Windows 10+
 * system RNG, https://learn.microsoft.com/windows/win32/seccng/processprng). Wine 8.0
 * (Debian 12) lacks that export, so the executable exits 53 before our code runs. This DLL
 * has the one export and fills the buffer from RtlGenRandom, which Wine's advapi32 exports
 * as SystemFunction036 (https://learn.microsoft.com/windows/win32/api/ntsecapi/nf-ntsecapi-rtlgenrandom).
 * Build: x86_64-w64-mingw32-gcc -shared (see build-shim.sh). */
#include <windows.h>

typedef BOOLEAN(WINAPI *RtlGenRandomFn)(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  static RtlGenRandomFn gen;
  if (!gen) {
    HMODULE advapi = LoadLibraryA("advapi32.dll");
    if (!advapi) return FALSE;
    gen = (RtlGenRandomFn)GetProcAddress(advapi, "SystemFunction036");
    if (!gen) return FALSE;
  }
  /* RtlGenRandom takes a ULONG length; feed larger requests in chunks. */
  while (length > 0) {
    ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
    if (!gen(data, chunk)) return FALSE;
    data += chunk;
    length -= chunk;
  }
  return TRUE;
}
