// ESM load hook for the test runner: a .ts test file is CommonJS, loaded by Node's CommonJS loader (and the swc hook).
export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && /\.ts(\?|$)/.test(url)) return { format: "commonjs", shortCircuit: true, source: null };
  return nextLoad(url, context);
}
