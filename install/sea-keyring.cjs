// @napi-rs/keyring inside the single executable: its prebuilt addon ships beside the binary
// as keyring.node (install/sea.mjs), and a SEA's require() only knows built-in modules, so
// load it with process.dlopen (https://nodejs.org/api/single-executable-applications.html;
// docs/project-layout.md, "How the executables are built"). execPath is the real binary, also
// when started through a sibling symlink.
const path = require('node:path');

const addon = { exports: {} };
process.dlopen(addon, path.join(path.dirname(process.execPath), 'keyring.node'));
module.exports = addon.exports;
