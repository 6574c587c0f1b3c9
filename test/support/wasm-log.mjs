// Loaded with `node --import`: prints "wasm: <how>" to stderr each time the process compiles WebAssembly
// (Node's fetch compiles its HTTP parser so), so a test can see that a command compiles none.
for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
  const original = WebAssembly[name];
  WebAssembly[name] = function (...args) {
    process.stderr.write(`wasm: ${name}\n`);
    return original.apply(this, args);
  };
}
WebAssembly.Module = new Proxy(WebAssembly.Module, {
  construct(target, args) {
    process.stderr.write('wasm: Module\n');
    return Reflect.construct(target, args);
  },
});
