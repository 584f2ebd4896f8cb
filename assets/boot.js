// Starts the page: loads the wasm-bindgen glue and the WebAssembly module named
// by the script tag that Trunk writes (Trunk.toml, pattern_script). A file
// rather than an inline script, so the Content-Security-Policy needs no hash.
const tag = document.querySelector('script[data-js][data-wasm]');
const glue = await import(new URL(tag.dataset.js, document.baseURI).href);
await glue.default({ module_or_path: new URL(tag.dataset.wasm, document.baseURI) });
