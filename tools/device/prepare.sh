#!/usr/bin/env bash
# Builds .devcarry/: what a bare GPU machine without npm needs to run tools/gpu-check.ts —
# a compressed node binary, onnxruntime-node's Linux x64 files, the bundled check and the run script.
# Then, with the device tool: run `bash .devcarry/run.sh` carrying .devcarry and .gl (Vulkan loader
# .debs, see the device README). Results land in $OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
D=.devcarry/node_modules
rm -rf .devcarry && mkdir -p $D/onnxruntime-node/bin/napi-v6/linux/x64
cp -r node_modules/onnxruntime-node/package.json node_modules/onnxruntime-node/dist $D/onnxruntime-node/
cp -r node_modules/onnxruntime-common $D/
cp node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node $D/onnxruntime-node/bin/napi-v6/linux/x64/
xz -T2 -9 -c node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1 > $D/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1.xz
xz -T2 -9 -c "$(readlink -f "$(command -v node)")" > .devcarry/node.xz
node_modules/.bin/esbuild tools/gpu-check.ts --bundle --platform=node --format=esm --target=node20 --external:onnxruntime-node --outfile=.devcarry/check.mjs --log-level=warning
cp tools/device/run.sh .devcarry/run.sh
du -sh .devcarry
