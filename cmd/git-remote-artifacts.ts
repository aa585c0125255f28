import { nodeIo } from '../src/io.js';
import { remoteMain } from '../src/remote/main.js';

remoteMain(nodeIo(), process).then((code) => {
  process.exitCode = code;
});
