// Bundles the page with esbuild: src/main.js (OpenLayers, proj4 and our code) into
// app.js and app.css, and copies index.html beside them. Run by the build (CMake):
//   node build.cjs OUT_DIR NODE_MODULES_DIR
// No CDN: everything the browser loads comes from these three files.
const path = require('path');
const fs = require('fs');
const [outDir, nodeModules] = process.argv.slice(2);
if (!outDir || !nodeModules) {
  console.error('usage: node build.cjs OUT_DIR NODE_MODULES_DIR');
  process.exit(2);
}
const esbuild = require(path.join(nodeModules, 'esbuild'));
fs.mkdirSync(outDir, { recursive: true });
esbuild.buildSync({
  entryPoints: { app: path.join(__dirname, 'src', 'main.js') },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['es2020'],
  nodePaths: [nodeModules],
  outdir: outDir,
  legalComments: 'eof',
  logLevel: 'warning',
});
fs.copyFileSync(path.join(__dirname, 'index.html'), path.join(outDir, 'index.html'));
