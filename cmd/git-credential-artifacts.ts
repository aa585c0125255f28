import { credentialExecutable } from '../src/cli/entry.js';
import { nodeIo } from '../src/io.js';

credentialExecutable(nodeIo()).then((code) => {
  process.exitCode = code;
});
