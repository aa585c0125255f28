import { nodeIo } from '../src/io.js';
import { remoteMain } from '../src/remote/main.js';

// remoteMain reports its own failures and resolves to the exit code; it does not reject.
void remoteMain(nodeIo(), process).then((code) => (process.exitCode = code));
