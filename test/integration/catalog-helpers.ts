import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { Embedder } from '../../src-main/engine/types.js';

export function tempDir(prefix = 'lookalike-catalog-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A deterministic stand-in for a model: the vector is the image shrunk to 4x4 RGB, normalised.
 * Counts every image it is asked to embed, so tests can prove what was (not) embedded.
 */
export function testEmbedder(id = 'test-model', revision = 'r1'): Embedder & { calls: number } {
  return {
    id,
    revision,
    family: 'siglip',
    dim: 48,
    scoring: { kind: 'sigmoid', scale: 10, bias: -5 },
    provider: 'cpu',
    calls: 0,
    async embedImages(images) {
      this.calls += images.length;
      return Promise.all(
        images.map(async (bytes) => {
          const raw = await sharp(bytes).resize(4, 4, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
          const v = Float32Array.from(raw.subarray(0, 48), (x) => x / 255 + 0.01);
          const norm = Math.hypot(...v);
          return v.map((x) => x / norm);
        }),
      );
    },
    async embedTexts(texts) {
      return texts.map(() => new Float32Array(48).fill(1 / Math.sqrt(48)));
    },
  };
}

/** A small JPEG whose content depends on `seed` (distinct seeds give distinct bytes). */
export async function jpeg(seed: number, width = 64, height = 48): Promise<Buffer> {
  const r = (seed * 97) % 256;
  const g = (seed * 57 + 80) % 256;
  const b = (seed * 31 + 160) % 256;
  // A vertical and a horizontal line placed by the seed: distinct for seed < width * height.
  const x = seed % width;
  const y = Math.floor(seed / width) % height;
  const stripe = Buffer.from(
    `<svg width="${width}" height="${height}"><rect x="${x}" y="0" width="1" height="${height}" fill="white"/><rect x="0" y="${y}" width="${width}" height="1" fill="black"/></svg>`,
  );
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .composite([{ input: stripe }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

export async function writeJpegs(dir: string, count: number, startSeed = 0): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `img-${String(startSeed + i).padStart(5, '0')}.jpg`);
    fs.writeFileSync(file, await jpeg(startSeed + i));
    files.push(file);
  }
  return files;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A PNG built by hand: IHDR says width x height (8-bit grey), IDAT holds `rows` rows of zeros. */
export function handmadePng(width: number, height: number, rows = height, bitDepth = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = 0; // greyscale
  const rowBytes = 1 + Math.ceil((width * bitDepth) / 8);
  const deflate = zlib.deflateSync(Buffer.alloc(rowBytes * rows), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflate),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface HostileCorpus {
  dir: string;
  /** Files that must be indexed. */
  valid: string[];
  /** Files that must fail, with a word the reason must contain. */
  bad: Array<{ file: string; reason: RegExp }>;
}

/** Every kind of file a merchandiser's folder may hold, good and bad, generated on the spot. */
export async function hostileCorpus(dir: string): Promise<HostileCorpus> {
  fs.mkdirSync(dir, { recursive: true });
  const valid: string[] = [];
  const bad: HostileCorpus['bad'] = [];
  const put = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    return file;
  };
  const good = (name: string, bytes: Buffer) => valid.push(put(name, bytes));
  const base = () => sharp({ create: { width: 120, height: 90, channels: 3, background: { r: 200, g: 40, b: 90 } } });

  good('plain.jpg', await jpeg(1));
  good('cmyk.jpg', await base().toColourspace('cmyk').jpeg().toBuffer());
  good('deep-16bit.png', await base().toColourspace('rgb16').png().toBuffer());
  good('palette.png', await base().png({ palette: true, colours: 16 }).toBuffer());
  good('alpha.png', await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.4 } } }).png().toBuffer());
  const frame = (r: number) => sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g: 10, b: 10 } } }).png().toBuffer();
  good('animated.gif', await sharp([await frame(10), await frame(200), await frame(90)], { join: { animated: true } }).gif().toBuffer());
  good('one-pixel.png', await sharp({ create: { width: 1, height: 1, channels: 3, background: 'white' } }).png().toBuffer());
  good('wide-6000x150.jpg', await jpeg(7, 6000, 150));
  good('photo.webp', await base().webp().toBuffer());
  good('photo.tiff', await base().tiff().toBuffer());
  good('photo.avif', await base().avif({ effort: 0 }).toBuffer());
  good('商品 café ✓.jpg', await jpeg(11));
  good('emoji 👟 shoe.png', await sharp(await jpeg(12)).png().toBuffer());
  good('dir.jpg/inside.jpg', await jpeg(13));
  good('deep/a/b/c/nested.jpg', await jpeg(14));

  const whole = await jpeg(21, 400, 300);
  bad.push({ file: put('truncated.jpg', whole.subarray(0, Math.floor(whole.length / 2))), reason: /corrupt|truncated|premature/i });
  bad.push({ file: put('random.jpg', Buffer.from(Array.from({ length: 4096 }, (_x, i) => (i * 7919 + 13) % 251))), reason: /not an image/ });
  bad.push({ file: put('empty.png', Buffer.alloc(0)), reason: /empty/ });
  bad.push({ file: put('notes.png', Buffer.from('this is a text file, not a picture\n'.repeat(20))), reason: /not an image/ });
  // 30000 x 30000 = 900 MP of zeros, about 100 KB compressed: must be refused from the header.
  bad.push({ file: put('bomb.png', handmadePng(30000, 30000, 30000, 1)), reason: /900 MP, over the 100 MP limit/ });
  // Header claims 5000 x 3000 but the data holds 10 rows: decoding must fail cleanly, not hang or crash.
  bad.push({ file: put('liar.png', handmadePng(5000, 3000, 10)), reason: /corrupt|truncated|read|error/i });
  // A JPEG that starts right but claims 60000 x 60000 in its frame header.
  const hugeJpeg = Buffer.from(whole);
  const sof = hugeJpeg.indexOf(Buffer.from([0xff, 0xc0]));
  hugeJpeg.writeUInt16BE(60000, sof + 5);
  hugeJpeg.writeUInt16BE(60000, sof + 7);
  bad.push({ file: put('huge-header.jpg', hugeJpeg), reason: /over the 100 MP limit/ });

  // Things the walk must survive and skip: a link cycle, a self-link, text files.
  fs.symlinkSync('..', path.join(dir, 'deep', 'a', 'loop'));
  fs.symlinkSync('self-link.jpg', path.join(dir, 'self-link.jpg'));
  bad.push({ file: path.join(dir, 'self-link.jpg'), reason: /link/ });
  put('readme.txt', Buffer.from('not indexed'));
  put('.hidden.jpg', await jpeg(30));
  return { dir, valid, bad };
}
