#!/usr/bin/env node
// The `loch` binary. It is CommonJS so that this line runs before anything starts libuv's thread
// pool (an ES module entry is too late: the module loader's own file reads start it). Every running
// DuckDB statement holds one of the pool's threads (node-api runs statements as async work), so
// with the default 4, four long queries would stall every other query and all file IO until one
// of them ends. Measured: a `SELECT 1` behind five long queries waited 44 s with 4 threads, 20 ms
// with 16.
process.env['UV_THREADPOOL_SIZE'] ??= '64';
void import('./process-main.js');
