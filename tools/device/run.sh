#!/bin/bash
# Runs on the GPU machine from the repo root: WebGPU through onnxruntime-node, demo packs, then
# random-weight real-size packs built there with its own torch (tools/realsize-models.py).
for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
nvidia-smi -L > $OUT/gpu.txt 2>&1
mkdir -p /tmp/n; xz -dc .devcarry/node.xz > /tmp/n/node; chmod +x /tmp/n/node
xz -d .devcarry/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1.xz
(timeout 150 python3 tools/realsize-models.py /tmp/rs > $OUT/realsize.log 2>&1; echo "realsize rc=$?" >> $OUT/realsize.log) &
timeout 60 /tmp/n/node .devcarry/check.mjs --provider webgpu --runs 20 --threads 15 resources/models/demo-siglip resources/models/demo-clip > $OUT/demo-webgpu.json 2> $OUT/demo-webgpu.err
wait
timeout 100 /tmp/n/node .devcarry/check.mjs --provider webgpu --runs 5 --threads 15 /tmp/rs/* > $OUT/realsize-webgpu.json 2> $OUT/realsize-webgpu.err
echo done
