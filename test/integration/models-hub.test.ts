import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../src-main/engine/registry.js';
import { loadConfig } from '../../src-main/shared/config.js';
import { appRoot } from '../../src-main/shared/paths.js';

const demo = path.join(appRoot, 'resources', 'models', 'demo-clip');
const hasDemo = fs.existsSync(path.join(demo, 'onnx', 'vision_model.onnx'));

interface FakeRepo {
  files: Map<string, Buffer>;
  /** sha256 the tree API claims, when it should lie. */
  claimedSha?: Map<string, string>;
}

/** A stand-in for huggingface.co on 127.0.0.1: the tree API, /resolve/main with Range, and a connection cut on demand. */
function fakeHub(repos: Record<string, FakeRepo>) {
  const requests: Array<{ url: string; range?: string }> = [];
  const cutOnce = new Set<string>();
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    requests.push({ url, range: req.headers.range });
    const tree = url.match(/^\/api\/models\/([^/]+\/[^/]+)\/tree\/main\?recursive=true$/);
    if (tree) {
      const repo = repos[tree[1]!];
      if (!repo) return res.writeHead(404).end('{"error":"Repository not found"}');
      const entries = [...repo.files].map(([p, data]) => {
        const sha = repo.claimedSha?.get(p) ?? createHash('sha256').update(data).digest('hex');
        const lfs = p.endsWith('.onnx');
        const oid = createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
        return { type: 'file', path: p, size: data.length, oid, ...(lfs ? { lfs: { oid: sha, size: data.length, pointerSize: 134 } } : {}) };
      });
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(entries));
    }
    const file = url.match(/^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/);
    const data = file && repos[file[1]!]?.files.get(file[2]!);
    if (!data) return res.writeHead(404).end('not found');
    const range = req.headers.range?.match(/^bytes=(\d+)-$/);
    const start = range ? Number(range[1]) : 0;
    res.writeHead(range ? 206 : 200, { 'content-length': data.length - start, ...(range ? { 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` } : {}) });
    if (cutOnce.delete(file![2]!)) {
      // Send part of the body, then drop the connection mid-transfer.
      res.write(data.subarray(start, start + Math.floor((data.length - start) / 2)));
      setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    res.end(data.subarray(start));
  });
  return { server, requests, cutOnce };
}

function repoFromFolder(dir: string): FakeRepo {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'), fs.readFileSync(path.join(entry.parentPath, entry.name)));
  }
  files.set('README.md', Buffer.from('# not part of a pack\n'));
  return { files };
}

describe.skipIf(!hasDemo)('Hugging Face Hub download (fake hub on 127.0.0.1)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-hub-'));
  const good = repoFromFolder(demo);
  const bad = repoFromFolder(demo);
  bad.claimedSha = new Map([['onnx/text_model.onnx', 'f'.repeat(64)]]);
  const hub = fakeHub({ 'acme/clip-small': good, 'acme/clip-corrupt': bad });
  let registry: ModelRegistry;
  const installedDir = path.join(root, 'models');

  beforeAll(async () => {
    await new Promise<void>((resolve) => hub.server.listen(0, '127.0.0.1', resolve));
    const hubEndpoint = loadConfig({ ...process.env, LOOKALIKE_HF_ENDPOINT: `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}/` }).hubEndpoint;
    registry = new ModelRegistry({ bundledDir: path.join(root, 'none'), installedDir, embedder: { provider: 'cpu', threads: 1 }, hubEndpoint, log: () => undefined });
  });
  afterAll(async () => {
    await registry.close();
    await new Promise((resolve) => hub.server.close(resolve));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('downloads the pack files, resuming an interrupted transfer with a Range request', async () => {
    hub.cutOnce.add('onnx/vision_model.onnx');
    const progress: number[] = [];
    const listing = await registry.install('acme/clip-small', { progress: (p) => progress.push(p.done) });
    expect(listing).toMatchObject({ id: 'clip-small', family: 'clip', status: 'ok', variants: ['fp32'] });
    const visionRequests = hub.requests.filter((r) => r.url.endsWith('/onnx/vision_model.onnx'));
    expect(visionRequests).toHaveLength(2);
    expect(visionRequests[1]!.range).toMatch(/^bytes=[1-9]\d*-$/);
    const installed = path.join(installedDir, 'clip-small');
    for (const f of ['onnx/vision_model.onnx', 'onnx/text_model.onnx', 'onnx/model.onnx', 'tokenizer.json']) {
      expect(fs.readFileSync(path.join(installed, f)).equals(good.files.get(f)!), f).toBe(true);
    }
    expect(fs.existsSync(path.join(installed, 'README.md'))).toBe(false);
    expect(progress.at(-1)).toBeGreaterThan(0);
    const [v] = await (await registry.embedder('clip-small')).embedTexts(['blue hat']);
    expect(v).toHaveLength(128);
  });

  it('rejects a file whose sha256 does not match and installs nothing', async () => {
    await expect(registry.install('acme/clip-corrupt')).rejects.toThrow(/onnx\/text_model\.onnx: sha256 mismatch/);
    expect(fs.existsSync(path.join(installedDir, 'clip-corrupt'))).toBe(false);
    expect((await registry.list()).models.map((m) => m.id)).toEqual(['clip-small']);
  });

  it('says clearly when the repository does not exist', async () => {
    await expect(registry.install('acme/nothing-here')).rejects.toThrow(/"acme\/nothing-here" not found/);
  });
});
