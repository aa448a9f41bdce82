// Cross-checks the exported packs with the runtime the app uses (onnxruntime-node and
// @huggingface/tokenizers): tokenizer ids vs the Python encoders, ONNX outputs vs PyTorch.
// Usage (after build.py): node tools/demo-models/verify_packs.mjs [/tmp/lookalike-demo-build]
import fs from "node:fs";
import path from "node:path";
import ort from "onnxruntime-node";
import { Tokenizer } from "@huggingface/tokenizers";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const work = process.argv[2] ?? "/tmp/lookalike-demo-build";
const readJson = (p) => JSON.parse(fs.readFileSync(p, "utf8"));
const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
let failures = 0;

function check(ok, msg) {
  console.log(`${ok ? "ok  " : "FAIL"} ${msg}`);
  if (!ok) failures++;
}

function cosine(a, b) {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return d / Math.sqrt(na * nb);
}

// App-side id layout, built on the raw tokenizer output (no post-processor), so that
// truncation keeps the final special token.
function siglipIds(tok, text) {
  const clean = text.replace(PUNCT, "").replace(/\s+/g, " ").trim();
  const ids = tok.encode(clean, { add_special_tokens: false }).ids.slice(0, 63);
  ids.push(1);
  while (ids.length < 64) ids.push(1);
  return ids;
}

function clipIds(tok, text, bos, eos) {
  return [bos, ...tok.encode(text, { add_special_tokens: false }).ids.slice(0, 75), eos];
}

async function run(file, feeds) {
  const session = await ort.InferenceSession.create(file);
  return { names: [session.inputNames, session.outputNames], out: await session.run(feeds) };
}

for (const [style, pack] of [["siglip", "demo-siglip"], ["clip", "demo-clip"]]) {
  const dir = path.join(root, "resources", "models", pack);
  const fixture = readJson(path.join(root, "test", "fixtures", "parity", `${pack}.json`));
  const full = readJson(path.join(work, `parity-full-${style}.json`));
  const tok = new Tokenizer(readJson(path.join(dir, "tokenizer.json")), readJson(path.join(dir, "tokenizer_config.json")));
  const vocab = readJson(path.join(dir, "tokenizer.json")).model.vocab;
  const bos = style === "clip" ? vocab["<|startoftext|>"] : null;
  const eos = style === "clip" ? vocab["<|endoftext|>"] : 1;

  for (const t of fixture.texts) {
    const ids = style === "siglip" ? siglipIds(tok, t.text) : clipIds(tok, t.text, bos, eos);
    check(JSON.stringify(ids) === JSON.stringify(t.input_ids), `${pack} tokenizer ids: ${t.text.slice(0, 40)}`);
    const withSpecial = tok.encode(style === "siglip" ? t.text.replace(PUNCT, "") : t.text).ids;
    check(withSpecial[withSpecial.length - 1] === eos, `${pack} post-processor appends EOS`);
  }

  const vis = await run(path.join(dir, "onnx", "vision_model.onnx"), {
    pixel_values: new ort.Tensor("float32", Float32Array.from(full.images.flatMap((i) => i.pixel_values)), [full.images.length, 3, 64, 64]),
  });
  const imgOut = style === "siglip" ? vis.out.pooler_output : vis.out.image_embeds;
  console.log(`     ${pack} vision_model inputs ${vis.names[0]} outputs ${vis.names[1]}`);
  const d = imgOut.dims[1];
  fixture.images.forEach((img, i) => {
    const c = cosine(Array.from(imgOut.data.slice(i * d, (i + 1) * d)), img.embedding);
    check(c > 0.99999, `${pack} vision ${img.path} cosine ${c.toFixed(7)}`);
  });

  const seqLen = Math.max(...fixture.texts.map((t) => t.input_ids.length));
  const padId = style === "siglip" ? 1 : eos;
  const idRows = fixture.texts.map((t) => [...t.input_ids, ...Array(seqLen - t.input_ids.length).fill(padId)]);
  const idsTensor = new ort.Tensor("int64", BigInt64Array.from(idRows.flat().map(BigInt)), [idRows.length, seqLen]);
  const txt = await run(path.join(dir, "onnx", "text_model.onnx"), { input_ids: idsTensor });
  const txtOut = style === "siglip" ? txt.out.pooler_output : txt.out.text_embeds;
  console.log(`     ${pack} text_model inputs ${txt.names[0]} outputs ${txt.names[1]}`);
  fixture.texts.forEach((t, i) => {
    const c = cosine(Array.from(txtOut.data.slice(i * d, (i + 1) * d)), t.embedding_normalized);
    check(c > 0.99999, `${pack} text "${t.text.slice(0, 30)}" cosine ${c.toFixed(7)}`);
  });

  const feeds = { input_ids: idsTensor, pixel_values: new ort.Tensor("float32", Float32Array.from(full.images.flatMap((i) => i.pixel_values)), [full.images.length, 3, 64, 64]) };
  if (style === "clip") {
    const mask = idRows.map((r, i) => r.map((_, j) => (j < fixture.texts[i].input_ids.length ? 1n : 0n)));
    feeds.attention_mask = new ort.Tensor("int64", BigInt64Array.from(mask.flat()), [idRows.length, seqLen]);
  }
  const all = await run(path.join(dir, "onnx", "model.onnx"), feeds);
  console.log(`     ${pack} model inputs ${all.names[0]} outputs ${all.names[1]}`);
  // recover scale and bias by least squares from logits = a*cos + b
  const ie = all.out.image_embeds, te = all.out.text_embeds, lg = all.out.logits_per_image;
  const xs = [], ys = [];
  for (let i = 0; i < ie.dims[0]; i++) for (let j = 0; j < te.dims[0]; j++) {
    xs.push(cosine(Array.from(ie.data.slice(i * d, (i + 1) * d)), Array.from(te.data.slice(j * d, (j + 1) * d))));
    ys.push(lg.data[i * te.dims[0] + j]);
  }
  const n = xs.length, mx = xs.reduce((a, b) => a + b) / n, my = ys.reduce((a, b) => a + b) / n;
  const a = xs.reduce((s, x, k) => s + (x - mx) * (ys[k] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const b = my - a * mx;
  check(Math.abs(a - fixture.logit_scale) < 1e-3 * fixture.logit_scale && Math.abs(b - fixture.logit_bias) < 1e-3,
    `${pack} model.onnx least-squares scale ${a.toFixed(4)} bias ${b.toFixed(4)} (fixture ${fixture.logit_scale.toFixed(4)}, ${fixture.logit_bias.toFixed(4)})`);
}
console.log(failures ? `${failures} check(s) failed` : "all checks passed");
process.exit(failures ? 1 : 0);
