// Installers for the desktop app: `npm run dist` on each OS (docs/RELEASE.md).
// A .cjs file rather than YAML: each platform's file list is the common one plus the prebuilt
// binaries of the other platforms left out, and electron-builder replaces (not merges) `files`.
const platforms = { linux: ['linux', 'linuxmusl'], win: ['win32'], mac: ['darwin'] };

/** Bundled app files, then every prebuilt native binary that is not for `target`. */
function filesFor(target) {
  const others = Object.entries(platforms).flatMap(([name, dirs]) => (name === target ? [] : dirs));
  const set = `{${others.join(',')}}`;
  return [
    'out/**',
    'package.json',
    '!**/*.map',
    // Sources and build files of native modules: only their prebuilt binaries run.
    '!**/node_modules/*/{src,deps,cpp,c,include,cmake,numkong,binding.gyp}{,/**}',
    `!**/node_modules/onnxruntime-node/bin/napi-v6/${set}{,/**}`,
    `!**/node_modules/better-sqlite3/prebuilds/${set}-*`,
    `!**/node_modules/usearch/prebuilds/${set}-*{,/**}`,
  ];
}

module.exports = {
  appId: 'app.lookalike.desktop',
  productName: 'Lookalike',
  copyright: 'Copyright © 2026 Lookalike',
  directories: { output: 'release', buildResources: 'build' },
  // Bundled models and the demo catalog stay outside the asar, in <resources>/resources: ONNX Runtime
  // and sharp open them as plain files (src-main/shared/paths.ts resourcesDirFor).
  extraResources: [{ from: 'resources', to: 'resources' }],
  asar: true,
  // Native modules load from real files: a .node library cannot be dlopen'ed from inside an asar.
  asarUnpack: ['onnxruntime-node', 'onnxruntime-common', 'sharp', '@img', 'usearch', 'better-sqlite3'].map((m) => `**/node_modules/${m}/**`),
  // Every native module is N-API with prebuilt binaries inside its npm package: nothing to rebuild.
  npmRebuild: false,
  buildDependenciesFromSource: false,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Graphics',
    maintainer: 'Lookalike team',
    synopsis: 'Product photo search, duplicate listings and title mismatches, offline',
    files: filesFor('linux'),
  },
  deb: { packageCategory: 'graphics' },
  win: { target: ['nsis'], files: filesFor('win') },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.productivity', files: filesFor('mac') },
};
