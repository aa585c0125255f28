// esbuild shim: bundled CommonJS has no import.meta; give modules that use it a file URL.
export const __import_meta_url = require('node:url').pathToFileURL(__filename).href;
