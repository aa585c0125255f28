// esbuild shim: bundled CommonJS has no import.meta; give modules that use it a file URL,
// computed on first use (pathToFileURL at every start-up would cost the hot path for nothing).
export const __import_meta = {
  get url() {
    return require('node:url').pathToFileURL(__filename).href;
  },
};
