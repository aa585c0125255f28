import { credentialMain } from '../src/credential/main.js';
import { nodeIo } from '../src/io.js';

credentialMain(nodeIo()).then((code) => {
  process.exitCode = code;
});
