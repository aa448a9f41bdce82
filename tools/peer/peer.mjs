// Transformers.js side of `lookalike bench --only peer`: the same pack folders, run the way a
// JavaScript user would with Transformers.js (its processor, tokenizer and model classes, local
// files only). Its own process, its own onnxruntime-node and sharp (tools/peer/node_modules).
//
//   node tools/peer/peer.mjs serve                       JSON commands on stdin, one answer per line
//   node tools/peer/peer.mjs embed-image PACK_DIR FILE   cold start: print one image vector, exit
//
// Commands (serve): {"cmd":"load","dir":...,"threads":N|null}, {"cmd":"embedImages","files":[...],"batch":B},
// {"cmd":"embedTexts","texts":[...]}, {"cmd":"rateImages","files":[...],"batch":B,"seconds":S},
// {"cmd":"rateTexts","texts":[...],"batch":B,"seconds":S}, {"cmd":"pixels","file":...}, {"cmd":"close"}.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  RawImage,
  SiglipTextModel,
  SiglipVisionModel,
  env,
} from '@huggingface/transformers';

env.allowRemoteModels = false;

function normalize(data, n, dim) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(data.subarray(i * dim, (i + 1) * dim));
    const norm = Math.hypot(...row) || 1;
    out.push(row.map((x) => x / norm));
  }
  return out;
}

class Peer {
  static async load(dir, threads) {
    const p = new Peer();
    const t0 = performance.now();
    env.localModelPath = `${path.dirname(path.resolve(dir))}/`;
    const id = path.basename(dir);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    p.family = config.model_type === 'clip' ? 'clip' : 'siglip';
    const options = { dtype: 'fp32', device: 'cpu', ...(threads ? { session_options: { intraOpNumThreads: threads } } : {}) };
    p.id = id;
    p.options = options;
    p.processor = await AutoProcessor.from_pretrained(id);
    p.loadSeconds = (performance.now() - t0) / 1000;
    return p;
  }

  async vision() {
    this.visionModel ??= await (this.family === 'clip' ? CLIPVisionModelWithProjection : SiglipVisionModel).from_pretrained(this.id, this.options);
    return this.visionModel;
  }

  async text() {
    this.tokenizer ??= await AutoTokenizer.from_pretrained(this.id);
    this.textModel ??= await (this.family === 'clip' ? CLIPTextModelWithProjection : SiglipTextModel).from_pretrained(this.id, this.options);
    return this.textModel;
  }

  async embedImages(files, batch = 8) {
    const model = await this.vision();
    const out = [];
    for (let i = 0; i < files.length; i += batch) {
      const images = await Promise.all(files.slice(i, i + batch).map((f) => RawImage.read(f)));
      const inputs = await this.processor(images);
      const result = await model(inputs);
      const t = result.image_embeds ?? result.pooler_output;
      out.push(...normalize(t.data, t.dims[0], t.dims[1]));
    }
    return out;
  }

  async embedTexts(texts, batch = 32) {
    const model = await this.text();
    const out = [];
    for (let i = 0; i < texts.length; i += batch) {
      // As the model cards say: SigLIP padded to 64 ("max_length"), CLIP to the longest.
      const inputs = this.tokenizer(texts.slice(i, i + batch), this.family === 'clip' ? { padding: true, truncation: true } : { padding: 'max_length', max_length: 64, truncation: true });
      const result = await model(inputs);
      const t = result.text_embeds ?? result.pooler_output;
      out.push(...normalize(t.data, t.dims[0], t.dims[1]));
    }
    return out;
  }
}

/** Items per second over at least `seconds`, whole batches. */
async function rate(run, perRun, seconds) {
  const t0 = performance.now();
  let n = 0;
  while (n === 0 || performance.now() - t0 < seconds * 1000) {
    await run();
    n += perRun;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function serve() {
  let peer = null;
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const msg = JSON.parse(line);
    let reply;
    try {
      if (msg.cmd === 'load') {
        peer = await Peer.load(msg.dir, msg.threads ?? null);
        if (msg.warm) {
          await peer.vision();
          await peer.text();
        }
        reply = { loadSeconds: peer.loadSeconds };
      } else if (msg.cmd === 'embedImages') reply = { vectors: await peer.embedImages(msg.files, msg.batch) };
      else if (msg.cmd === 'embedTexts') reply = { vectors: await peer.embedTexts(msg.texts) };
      else if (msg.cmd === 'rateImages') {
        const files = msg.files.slice(0, msg.batch);
        reply = { perSecond: await rate(() => peer.embedImages(files, msg.batch), files.length, msg.seconds) };
      } else if (msg.cmd === 'rateTexts') {
        const texts = msg.texts.slice(0, msg.batch);
        reply = { perSecond: await rate(() => peer.embedTexts(texts, msg.batch), texts.length, msg.seconds) };
      } else if (msg.cmd === 'pixels') {
        const img = (await RawImage.read(msg.file)).rgb();
        reply = { width: img.width, height: img.height, data: Buffer.from(img.data).toString('base64') };
      } else if (msg.cmd === 'close') {
        process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
        break;
      } else throw new Error(`unknown command ${msg.cmd}`);
    } catch (err) {
      reply = { error: err instanceof Error ? err.message : String(err) };
    }
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  }
  process.exit(0);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') await serve();
else if (mode === 'embed-image') {
  const peer = await Peer.load(args[0], null);
  const [vector] = await peer.embedImages([args[1]]);
  process.stdout.write(`${JSON.stringify({ dim: vector.length, vector })}\n`);
} else {
  process.stderr.write('usage: node tools/peer/peer.mjs serve | embed-image PACK_DIR FILE\n');
  process.exit(2);
}
