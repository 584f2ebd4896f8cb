// The page's Web Worker (src/app/worker.rs): loads the same wasm-bindgen glue
// and WebAssembly module as the page, named in this script's URL (?js=…&wasm=…,
// relative to it), whose start sees a worker scope and answers the page's
// requests. A file, so the Content-Security-Policy (script-src 'self') covers it.
const here = new URL(self.location.href);
const glue = await import(new URL(here.searchParams.get('js'), here).href);
await glue.default({ module_or_path: new URL(here.searchParams.get('wasm'), here) });
