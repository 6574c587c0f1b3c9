// The purity rule through every path, checked by `npm run lint:layers` beside .dependency-cruiser.mjs and by
// test/unit/layers.test.ts: a pure module (PURE) reaches no disk, process, socket or HTTP (IO) through any chain of
// imports, not only its own.
//
// A config of its own because it follows only the imports that run: a type-only import is erased at compile time
// and does no I/O (a pure step may take the shape of what site/ read), while the layer rules count it.
import layers, { IO, PURE } from './.dependency-cruiser.mjs';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'pure-reaches-no-io',
      severity: 'error',
      comment:
        'a pure step must not reach I/O through another module: move the pure part out of the module that does I/O',
      from: { path: PURE },
      to: { path: IO, reachable: true },
    },
  ],
  options: { ...layers.options, tsPreCompilationDeps: false },
};
