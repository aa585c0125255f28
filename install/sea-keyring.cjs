// @napi-rs/keyring inside the single executable: its prebuilt addon ships beside the binary
// as keyring.node (install/sea.mjs) and is loaded with process.dlopen, which Bun implements for
// N-API addons like Node does (https://bun.sh/docs/runtime/node-api). A static import of the
// package would make the compiled binary fail at start; this module is only reached through
// the lazy import() of '@napi-rs/keyring' (aliased here by sea.mjs). execPath is the real
// binary, also when started through a sibling symlink.
//
// Contract (also for src/store/): require() of this module gives @napi-rs/keyring's exports,
// or throws when keyring.node is missing or does not load; callers treat a throw as "no keychain".
const path = require('node:path');

const addon = { exports: {} };
process.dlopen(addon, path.join(path.dirname(process.execPath), 'keyring.node'));
module.exports = addon.exports;
