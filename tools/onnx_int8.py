#!/usr/bin/python3
"""Dynamic 8-bit weight quantization of ONNX towers, written as `<tower>_quantized.onnx` beside the
fp32 file (the name Xenova / onnx-community packs give their 8-bit variant, which the engine loads as
variant "quantized", see src-main/engine/variants.ts).

A stand-in for onnxruntime's `quantize_dynamic` (QOperator / integer-ops form) for machines where
the Python onnxruntime package is missing (Debian ships torch and onnx, not onnxruntime). It makes
the same graph ORT's tool makes for the ops that hold the weights of a ViT / text transformer:

- MatMul with a constant 2-D weight B:
    DynamicQuantizeLinear(A) -> A_q (uint8), A_scale, A_zero_point   (once per activation)
    MatMulInteger(A_q, B_q, A_zero_point, B_zero_point) -> int32
    Cast(float) * (A_scale * B_scale)                                 -> the MatMul's output
  with B_q a per-tensor 8-bit initializer: int8 symmetric (ORT's default QInt8: zero point 0,
  range -127..127) or uint8 asymmetric (QUInt8). ORT's CPU provider fuses this pattern into
  DynamicQuantizeMatMul / MatMulIntegerToFloat when it loads the graph.
- Gather from a constant table (token embeddings): the table stored as 8-bit, DequantizeLinear on
  the gathered rows.

Not done (ORT's tool does them too): Conv -> ConvInteger (the patch embedding, one layer, <1 % of a
ViT's FLOPs), Attention / LSTM contrib ops (these exports have none), per-channel and reduce-range
options. MatMuls between two activations (attention scores) stay fp32, as in ORT's QOperator mode.

Usage: /usr/bin/python3 tools/onnx_int8.py [--weight-type int8|uint8] MODEL.onnx|PACK_DIR ...
A pack folder quantizes onnx/vision_model.onnx and onnx/text_model.onnx.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_weight(w, weight_type):
    """Per-tensor 8-bit weights as ORT computes them: (q, scale, zero_point)."""
    w = w.astype(np.float32)
    if weight_type == "int8":
        absmax = float(np.abs(w).max()) if w.size else 0.0
        scale = absmax / 127.0 if absmax > 0 else 1.0
        q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        return q, np.float32(scale), np.int8(0)
    rmin, rmax = min(0.0, float(w.min())), max(0.0, float(w.max()))
    scale = (rmax - rmin) / 255.0 if rmax > rmin else 1.0
    zero = int(np.clip(round(-rmin / scale), 0, 255))
    q = np.clip(np.round(w / scale) + zero, 0, 255).astype(np.uint8)
    return q, np.float32(scale), np.uint8(zero)


def quantize_model(model, weight_type="int8"):
    """Rewrites `model` in place; returns counts of quantized MatMul and Gather nodes."""
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    uses = {}
    for node in graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1

    new_inits = []
    quantized_weights = {}  # initializer name -> (q name, scale name, zero point name)
    quantized_acts = {}  # activation name -> (q, scale, zero point)

    def weight(name):
        if name not in quantized_weights:
            q, scale, zero = quantize_weight(numpy_helper.to_array(inits[name]), weight_type)
            names = (f"{name}_quantized", f"{name}_scale", f"{name}_zero_point")
            new_inits.extend([numpy_helper.from_array(q, names[0]), numpy_helper.from_array(np.array(scale), names[1]),
                              numpy_helper.from_array(np.array(zero), names[2])])
            quantized_weights[name] = names
        return quantized_weights[name]

    def float_2d_init(name):
        t = inits.get(name)
        return t is not None and t.data_type == TensorProto.FLOAT and len(t.dims) == 2

    nodes = []
    counts = {"MatMul": 0, "Gather": 0}
    replaced = set()
    for node in graph.node:
        if node.op_type == "MatMul" and float_2d_init(node.input[1]) and node.input[0] not in inits:
            a, b, out = node.input[0], node.input[1], node.output[0]
            base = node.name or out
            if a not in quantized_acts:
                quantized_acts[a] = (f"{a}_quantized", f"{a}_scale", f"{a}_zero_point")
                nodes.append(helper.make_node("DynamicQuantizeLinear", [a], list(quantized_acts[a]), name=f"{a}_QuantizeLinear"))
            aq, ascale, azero = quantized_acts[a]
            bq, bscale, bzero = weight(b)
            nodes.append(helper.make_node("MatMulInteger", [aq, bq, azero, bzero], [f"{out}_output_quantized"], name=f"{base}_quant"))
            nodes.append(helper.make_node("Mul", [ascale, bscale], [f"{base}_quant_scales_mul:0"], name=f"{base}_quant_scales_mul"))
            nodes.append(helper.make_node("Cast", [f"{out}_output_quantized"], [f"{out}_output_quantized_cast_output"],
                                          to=TensorProto.FLOAT, name=f"{out}_output_quantized_cast"))
            nodes.append(helper.make_node("Mul", [f"{out}_output_quantized_cast_output", f"{base}_quant_scales_mul:0"], [out],
                                          name=f"{base}_quant_output_scale_mul"))
            replaced.add(b)
            counts["MatMul"] += 1
        elif node.op_type == "Gather" and float_2d_init(node.input[0]) and node.input[1] not in inits:
            table, out = node.input[0], node.output[0]
            base = node.name or out
            tq, tscale, tzero = weight(table)
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            nodes.append(helper.make_node("Gather", [tq, node.input[1]], [f"{out}_gathered_8bit"], name=f"{base}_quant", **attrs))
            nodes.append(helper.make_node("DequantizeLinear", [f"{out}_gathered_8bit", tscale, tzero], [out], name=f"{base}_dequantize"))
            replaced.add(table)
            counts["Gather"] += 1
        else:
            nodes.append(node)

    # Drop fp32 weights that only the rewritten nodes used.
    still_used = {name for n in nodes for name in n.input}
    keep = [t for t in graph.initializer if t.name not in replaced or t.name in still_used]
    del graph.initializer[:]
    graph.initializer.extend(keep + new_inits)
    del graph.node[:]
    graph.node.extend(nodes)
    return counts


def quantized_path(path):
    root, ext = os.path.splitext(path)
    return f"{root}_quantized{ext}"


def quantize_file(src, weight_type="int8"):
    model = onnx.load(src)
    counts = quantize_model(model, weight_type)
    onnx.checker.check_model(model)
    dst = quantized_path(src)
    onnx.save(model, dst)
    print(f"  {os.path.relpath(dst)}: {os.path.getsize(dst) / 1e6:.0f} MB ({counts['MatMul']} MatMul, {counts['Gather']} Gather "
          f"to {weight_type}; fp32 {os.path.getsize(src) / 1e6:.0f} MB)", flush=True)
    return dst


def main():
    parser = argparse.ArgumentParser(description="Dynamic 8-bit quantization (stand-in for onnxruntime quantize_dynamic)")
    parser.add_argument("--weight-type", choices=["int8", "uint8"], default="int8")
    parser.add_argument("paths", nargs="+", help="ONNX files, or pack folders (onnx/vision_model.onnx and onnx/text_model.onnx)")
    args = parser.parse_args()
    for p in args.paths:
        files = [os.path.join(p, "onnx", f"{t}.onnx") for t in ("vision_model", "text_model")] if os.path.isdir(p) else [p]
        for f in files:
            if not os.path.exists(f):
                sys.exit(f"onnx_int8: {f} does not exist")
            quantize_file(f, args.weight_type)


if __name__ == "__main__":
    main()
