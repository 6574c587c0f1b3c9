// undici's Agent on its own. The package's index also loads fetch, WebSocket, EventSource,
// cookies, caches and mocks: ~380 kB more that every run of the CLI would compile, for a class
// this file names (bench/RESULTS.md, start-up). undici has no "exports" map, so the path is
// public; the type is the index's own.
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';
  const AgentClass: typeof Agent;
  export default AgentClass;
}
