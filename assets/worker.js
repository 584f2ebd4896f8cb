// The page's Web Worker (src/app/worker.rs): loads the `cohortscope-worker`
// module that Trunk builds beside this file (index.html), whose start answers
// the page's requests. The page passes its build's name as ?v=…, so that a
// cached worker module of another build is never paired with this page. A
// file, so the Content-Security-Policy (script-src 'self') covers it.
const here = new URL(self.location.href);
const at = (name) => {
    const url = new URL(name, here);
    url.search = here.search;
    return url.href;
};
const glue = await import(at('cohortscope-worker.js'));
await glue.default({ module_or_path: at('cohortscope-worker_bg.wasm') });
