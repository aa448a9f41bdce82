import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ort } from '../../src-main/engine/ort.js';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../src-main/shared/paths.js';

/** tools/onnx_int8.py needs Debian's python3 with the onnx module (see docs/PERFORMANCE.md). */
const python = '/usr/bin/python3';
const hasOnnx = fs.existsSync(python) && spawnSync(python, ['-c', 'import onnx, numpy'], { stdio: 'ignore' }).status === 0;

// A token table (Gather), a MatMul with a constant weight, a MatMul of two activations (left fp32).
const BUILD = `
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto as T
rng = np.random.default_rng(0)
inits = [numpy_helper.from_array(rng.standard_normal((50, 16)).astype(np.float32), "table"),
         numpy_helper.from_array((rng.standard_normal((16, 24)) * 0.2).astype(np.float32), "w"),
         numpy_helper.from_array(rng.standard_normal(24).astype(np.float32), "bias")]
nodes = [helper.make_node("Gather", ["table", "ids"], ["emb"]),
         helper.make_node("MatMul", ["emb", "w"], ["mm"]),
         helper.make_node("Add", ["mm", "bias"], ["h"]),
         helper.make_node("Transpose", ["h"], ["ht"], perm=[0, 2, 1]),
         helper.make_node("MatMul", ["h", "ht"], ["out"])]
graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("ids", T.INT64, ["b", "n"])],
                          [helper.make_tensor_value_info("out", T.FLOAT, ["b", "n", "n"])], inits)
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)]), sys.argv[1])
`;

describe.skipIf(!hasOnnx)('tools/onnx_int8.py (dynamic 8-bit quantization, stand-in for onnxruntime quantize_dynamic)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-int8-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fp32 = path.join(dir, 'vision_model.onnx');
  const int8 = path.join(dir, 'vision_model_quantized.onnx');

  const opTypes = (file: string) =>
    JSON.parse(execFileSync(python, ['-c', 'import sys, json, onnx; m = onnx.load(sys.argv[1]); print(json.dumps(sorted(n.op_type for n in m.graph.node)))', file], { encoding: 'utf8' }));
  const run = async (file: string, ids: bigint[]) => {
    const session = await ort.InferenceSession.create(file);
    const out = await session.run({ ids: new ort.Tensor('int64', BigInt64Array.from(ids), [1, ids.length]) });
    await session.release();
    return out.out!.data as Float32Array;
  };

  it('writes <tower>_quantized.onnx in the integer-ops form, whose outputs stay close to fp32', async () => {
    fs.writeFileSync(path.join(dir, 'build.py'), BUILD);
    execFileSync(python, [path.join(dir, 'build.py'), fp32]);
    const log = execFileSync(python, [path.join(appRoot, 'tools', 'onnx_int8.py'), fp32], { encoding: 'utf8' });
    expect(log).toContain('1 MatMul, 1 Gather to int8');
    expect(opTypes(int8)).toEqual(['Add', 'Cast', 'DequantizeLinear', 'DynamicQuantizeLinear', 'Gather', 'MatMul', 'MatMulInteger', 'Mul', 'Mul', 'Transpose']);
    // 8-bit weights: the file shrinks to about a quarter.
    expect(fs.statSync(int8).size).toBeLessThan(fs.statSync(fp32).size / 2);

    const ids = [3n, 17n, 42n, 8n, 0n];
    const [a, b] = [await run(fp32, ids), await run(int8, ids)];
    expect(b).toHaveLength(a.length);
    const scale = Math.max(...a.map(Math.abs));
    const worst = Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
    expect(worst / scale).toBeLessThan(0.05);
    expect(worst).toBeGreaterThan(0); // it really computed in 8 bits
  });

  it('--weight-type uint8 quantizes asymmetrically; a missing file is a clear error', () => {
    const log = execFileSync(python, [path.join(appRoot, 'tools', 'onnx_int8.py'), '--weight-type', 'uint8', fp32], { encoding: 'utf8' });
    expect(log).toContain('to uint8');
    const bad = spawnSync(python, [path.join(appRoot, 'tools', 'onnx_int8.py'), path.join(dir, 'nope.onnx')], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('nope.onnx does not exist');
  });
});
