/**
 * Crop alignment: is one image a crop (up to 20 % per axis) of the other?
 *
 * A pHash moves ~10 bits for a 3 % misalignment, so the fixed sub-region hashes only catch
 * crops that fall near their anchor grid. This searches the crop's scale and offset inside the
 * other image on small stored thumbnails and scores the best placement by normalised
 * cross-correlation of grey levels, then checks that the colours agree there (grey levels alone
 * cannot tell a product from the same design in another colour).
 *
 * Signature per image (stored with its hashes, `ALIGN_BYTES` bytes): the whole orientation-
 * applied frame as a 32x32 grey thumbnail, then 8x8 OKLab a and b planes (128 = no colour,
 * `CHROMA_SCALE` levels per OKLab unit), all as bytes, plus the frame's aspect ratio (stored beside it). Whole frame, not trimmed: a crop is a
 * window of the frame, white margins included.
 */

import { ALIGN_BYTES, ALIGN_SIDE, CHROMA_SCALE, CHROMA_SIDE } from '../../engine/image-hash.js';

/** Smallest share of each axis a crop keeps: "crop up to 20 %", with room for a crop of about 80 % that keeps a little less on one axis. */
export const MIN_CROP_SCALE = 0.75;
/** The whole frame laid on the whole frame: no crop, no offset. */
export const IDENTITY_WINDOW: Window = { sx: 1, sy: 1, ox: 0, oy: 0 };

/** Placements keeping at least this much of both axes are "the whole frame", not a crop: other rules judge those. */
const WHOLE_FRAME = 0.97;
/** Coarse search: the container averaged to 16x16 against the crop averaged to 8x8, on a grid of placements. */
const COARSE = { inSide: 16, outSide: 8 } as const;
/** Refinement and final score: the 32x32 container against the crop averaged to 16x16. */
const FINE = { inSide: ALIGN_SIDE, outSide: 16 } as const;
/** Coarse grid: window size in steps of 2.5 %, offsets in steps of one coarse container pixel. */
const SCALE_STEP = 0.025;
const OFFSET_STEP = 1 / 16;
/** Hill-climb steps (fractions of the container) on the coarse level, then on the fine one. */
const COARSE_STEPS = [0.025, 0.0125];
const FINE_STEPS = [0.006, 0.003];
/** A coarse optimum below this is not worth refining: unrelated pictures. */
const COARSE_FLOOR = 0.8;
/** The other direction is refined too when its coarse score is within this of the better one. */
const COARSE_MARGIN = 0.02;

export interface Placement {
  /** Normalised cross-correlation of grey levels at the best placement (-1..1). */
  score: number;
  /** Colour distance there (colourDistance: chroma-weighted hue difference, degrees); NaN when either image has no colour. */
  colour: number;
  /** The crop's window inside the container: scale and offset per axis, fractions of the container. */
  sx: number;
  sy: number;
  ox: number;
  oy: number;
}

export type Window = Omit<Placement, 'colour' | 'score'>;

/** What a pair looks like when no placement qualifies (not a crop, or not searched). */
export const NO_PLACEMENT: Placement = { score: -1, colour: Number.NaN, sx: 1, sy: 1, ox: 0, oy: 0 };

/** Separable area-average weights of one axis: output cell u reads `count[u]` input cells from `start[u]`. */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  w: Float64Array;
}

const MAX_SPAN = 4;

function axisWeights(offset: number, scale: number, inSide: number, outSide: number, out: AxisWeights): void {
  const cell = (scale * inSide) / outSide;
  for (let u = 0; u < outSide; u++) {
    const a = offset * inSide + u * cell;
    const b = a + cell;
    const first = Math.max(0, Math.floor(a));
    const last = Math.min(inSide - 1, Math.ceil(b) - 1);
    out.start[u] = first;
    let count = 0;
    for (let x = first; x <= last && count < MAX_SPAN; x++, count++) {
      out.w[u * MAX_SPAN + count] = (Math.min(b, x + 1) - Math.max(a, x)) / cell;
    }
    out.count[u] = count;
  }
}

function newWeights(side: number): AxisWeights {
  return { start: new Int32Array(side), count: new Int32Array(side), w: new Float64Array(side * MAX_SPAN) };
}

/** One resolution of the search: a container image, the crop's zero-mean unit-norm pattern, scratch. */
class Level {
  readonly container: Float64Array;
  readonly crop: Float64Array;
  private readonly cols: Float64Array;
  private readonly wx: AxisWeights;
  private readonly wy: AxisWeights;
  /** The window columns the column pass was last computed for (it is shared by every window with those columns). */
  private colOx = Number.NaN;
  private colSx = Number.NaN;

  constructor(
    readonly inSide: number,
    readonly outSide: number,
  ) {
    this.container = new Float64Array(inSide * inSide);
    this.crop = new Float64Array(outSide * outSide);
    this.cols = new Float64Array(inSide * outSide);
    this.wx = newWeights(outSide);
    this.wy = newWeights(outSide);
  }

  /** Loads the container (grey thumbnail averaged to inSide) and the crop (averaged to outSide, normalised); false when the crop is flat. */
  load(container: Uint8Array, crop: Uint8Array): boolean {
    boxAverage(container, this.container, this.inSide);
    boxAverage(crop, this.crop, this.outSide);
    this.colOx = Number.NaN;
    const k = this.crop;
    const n = k.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += k[i] as number;
    const mean = sum / n;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const d = (k[i] as number) - mean;
      k[i] = d;
      norm += d * d;
    }
    if (norm < 1e-6 * n) return false;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) k[i] = (k[i] as number) / norm;
    return true;
  }

  /** For a flat crop (no pattern to correlate): 1 when the container is flat and of the same grey too, else 0. */
  flatMatch(container: Uint8Array, crop: Uint8Array): number {
    let lo = 255;
    let hi = 0;
    let sum = 0;
    for (let i = 0; i < ALIGN_SIDE * ALIGN_SIDE; i++) {
      const v = container[i] as number;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      sum += v - (crop[i] as number);
    }
    return hi - lo <= 4 && Math.abs(sum) / (ALIGN_SIDE * ALIGN_SIDE) <= 8 ? 1 : 0;
  }

  /** Correlation of the crop with the container's window. */
  score(w: Window): number {
    if (w.ox !== this.colOx || w.sx !== this.colSx) {
      this.columnPass(w.ox, w.sx);
      this.colOx = w.ox;
      this.colSx = w.sx;
    }
    return this.rowPassScore(w.oy, w.sy);
  }

  /** cols[y][u]: container row y averaged over the columns of window cell u. */
  private columnPass(ox: number, sx: number): void {
    const { wx, cols, container, inSide, outSide } = this;
    axisWeights(ox, sx, inSide, outSide, wx);
    for (let y = 0; y < inSide; y++) {
      const row = y * inSide;
      for (let u = 0; u < outSide; u++) {
        const st = (wx.start[u] as number) + row;
        const cnt = wx.count[u] as number;
        let s = 0;
        for (let t = 0; t < cnt; t++) s += (container[st + t] as number) * (wx.w[u * MAX_SPAN + t] as number);
        cols[y * outSide + u] = s;
      }
    }
  }

  /** Averages the column pass over the window's rows and correlates it with the crop. */
  private rowPassScore(oy: number, sy: number): number {
    const { wy, cols, crop: k, inSide, outSide } = this;
    axisWeights(oy, sy, inSide, outSide, wy);
    let sum = 0;
    let sumSq = 0;
    let dot = 0;
    for (let v = 0; v < outSide; v++) {
      const st = wy.start[v] as number;
      const cnt = wy.count[v] as number;
      for (let u = 0; u < outSide; u++) {
        let s = 0;
        for (let t = 0; t < cnt; t++) s += (cols[(st + t) * outSide + u] as number) * (wy.w[v * MAX_SPAN + t] as number);
        sum += s;
        sumSq += s * s;
        dot += s * (k[v * outSide + u] as number);
      }
    }
    const n = outSide * outSide;
    const variance = sumSq - (sum * sum) / n;
    return variance > 1e-9 ? dot / Math.sqrt(variance) : -1;
  }
}

/** The grey part of a signature averaged down to side x side (a divisor of ALIGN_SIDE). */
function boxAverage(sig: Uint8Array, out: Float64Array, side: number): void {
  const f = ALIGN_SIDE / side;
  for (let v = 0; v < side; v++) {
    for (let u = 0; u < side; u++) {
      let s = 0;
      for (let y = 0; y < f; y++) for (let x = 0; x < f; x++) s += sig[(v * f + y) * ALIGN_SIDE + u * f + x] as number;
      out[v * side + u] = s / (f * f);
    }
  }
}

/** Whether a window is a crop this search considers: inside the frame, 80-100 % per axis, less than the whole frame. */
function admissible(w: Window): boolean {
  if (w.sx < MIN_CROP_SCALE - 1e-9 || w.sy < MIN_CROP_SCALE - 1e-9 || w.sx > 1 + 1e-9 || w.sy > 1 + 1e-9) return false;
  if (w.ox < -1e-9 || w.oy < -1e-9 || w.ox + w.sx > 1 + 1e-9 || w.oy + w.sy > 1 + 1e-9) return false;
  return !(w.sx >= WHOLE_FRAME && w.sy >= WHOLE_FRAME);
}

/**
 * The window of the crop's aspect at size k: k times the largest such window in the container
 * (k = 1 keeps the whole of the container's limiting axis). One free scale, not two: the crop's
 * own aspect ratio fixes the other.
 */
function windowSize(k: number, ratio: number): { sx: number; sy: number } {
  return ratio <= 1 ? { sx: k * ratio, sy: k } : { sx: k, sy: k / ratio };
}

export class Aligner {
  private readonly coarse = new Level(COARSE.inSide, COARSE.outSide);
  private readonly fine = new Level(FINE.inSide, FINE.outSide);
  private readonly rwx = newWeights(ALIGN_SIDE);
  private readonly rwy = newWeights(ALIGN_SIDE);
  private readonly win = new Float64Array(ALIGN_SIDE * ALIGN_SIDE);

  /**
   * Local motion between `crop` and the window of `container` it was laid on: the 32x32 frames cut
   * in 4x4 blocks of 8x8 pixels, and each block with some texture tried at one-pixel shifts. A
   * block that matches clearly better shifted has moved relative to the rest: one photo edited
   * (resized, recompressed, watermarked, cropped) moves nowhere; a second shot from a moved
   * camera, or a product turned a little, moves its near and far parts by different amounts.
   * Returns the number of such blocks and of textured blocks.
   *
   * The window itself may be off by a fraction of a pixel in scale as well as in offset (trims
   * place padded content to about a pixel, and a crop search on 16x16 levels cannot see a third of
   * a pixel of scale): blocks on opposite sides then prefer opposite shifts, which is a
   * misregistration, not motion. So when some blocks moved and `register` is set (the caller's
   * placement is good enough for its count to matter: the search costs up to ~0.2 ms), each edge of
   * the window is moved by half a thumbnail pixel at a time (up to REGISTER_SLACK pixels from where it was), greedily, while that leaves
   * fewer blocks moved; the count is the smallest found. A second shot keeps its moved blocks under
   * that: parallax moves near and far things apart inside the frame, which no window (one scale and
   * offset per axis) undoes.
   */
  movedBlocks(container: Uint8Array, crop: Uint8Array, p: Window, register = true): { moved: number; textured: number } {
    let best = this.movedAt(container, crop, p);
    if (!register) return best;
    let at = p;
    const step = 0.5 / ALIGN_SIDE;
    const limit = REGISTER_SLACK / ALIGN_SIDE + 1e-9;
    for (let improved = best.moved > 0; improved && best.moved > 0; ) {
      improved = false;
      for (const [dl, dr, dt, db] of EDGE_MOVES) {
        const left = at.ox + dl * step;
        const right = at.ox + at.sx + dr * step;
        const top = at.oy + dt * step;
        const bottom = at.oy + at.sy + db * step;
        if (left < -1e-9 || top < -1e-9 || right > 1 + 1e-9 || bottom > 1 + 1e-9) continue;
        if (Math.abs(left - p.ox) > limit || Math.abs(right - p.ox - p.sx) > limit || Math.abs(top - p.oy) > limit || Math.abs(bottom - p.oy - p.sy) > limit) continue;
        const w = { ox: left, sx: right - left, oy: top, sy: bottom - top };
        const r = this.movedAt(container, crop, w);
        if (r.moved < best.moved) {
          best = r;
          at = w;
          improved = true;
          break;
        }
      }
    }
    return best;
  }

  /** movedBlocks at one fixed window. */
  private movedAt(container: Uint8Array, crop: Uint8Array, p: Window): { moved: number; textured: number } {
    const win = this.windowPixels(container, p);
    const n = ALIGN_SIDE;
    const B = 8;
    const votes: number[] = [];
    for (let by = 0; by < n; by += B) {
      for (let bx = 0; bx < n; bx += B) {
        let s = 0;
        let ss = 0;
        for (let y = by; y < by + B; y++) {
          for (let x = bx; x < bx + B; x++) {
            const v = crop[y * n + x] as number;
            s += v;
            ss += v * v;
          }
        }
        const variance = ss / (B * B) - (s / (B * B)) ** 2;
        if (variance < BLOCK_TEXTURE) continue;
        // Mean squared difference (after matching means) of the block against the window shifted
        // by (dx, dy), over the pixels whose partner is inside the frame; shift 0 is (0, 0).
        let still = 0;
        let best = Number.POSITIVE_INFINITY;
        let shift = 0;
        for (let k = 0; k <= SHIFTS.length; k++) {
          const dx = k === 0 ? 0 : (SHIFTS[k - 1]![0] as number);
          const dy = k === 0 ? 0 : (SHIFTS[k - 1]![1] as number);
          const y0 = Math.max(by, -dy);
          const y1 = Math.min(by + B, n - dy);
          const x0 = Math.max(bx, -dx);
          const x1 = Math.min(bx + B, n - dx);
          let sd = 0;
          let sdd = 0;
          for (let y = y0; y < y1; y++) {
            const row = y * n;
            const wrow = (y + dy) * n + dx;
            for (let x = x0; x < x1; x++) {
              const d = (crop[row + x] as number) - (win[wrow + x] as number);
              sd += d;
              sdd += d * d;
            }
          }
          const count = (y1 - y0) * (x1 - x0);
          const cost = (sdd - (sd * sd) / count) / count;
          if (k === 0) still = cost;
          else if (cost < best) {
            best = cost;
            shift = k;
          }
        }
        votes.push(best < MOVED_GAIN * still && still > MOVED_FLOOR * variance ? shift : 0);
      }
    }
    // One shift for the whole frame is a misregistration of the window (a pixel of trim or crop
    // error), not motion: blocks count as moved when they prefer another shift than most do.
    const tally = new Int32Array(SHIFTS.length + 1);
    for (const v of votes) tally[v]!++;
    let mode = 0;
    for (let v = 1; v < tally.length; v++) if ((tally[v] as number) > (tally[mode] as number)) mode = v;
    let moved = 0;
    for (const v of votes) if (v !== mode) moved++;
    return { moved, textured: votes.length };
  }

  /** The window of `container` resampled to 32x32 (scratch, overwritten by the next call). */
  private windowPixels(container: Uint8Array, p: Window): Float64Array {
    const w = clampWindow(p);
    const n = ALIGN_SIDE;
    axisWeights(w.ox, w.sx, n, n, this.rwx);
    axisWeights(w.oy, w.sy, n, n, this.rwy);
    const win = this.win;
    for (let v = 0; v < n; v++) {
      for (let u = 0; u < n; u++) {
        let s = 0;
        for (let ty = 0; ty < (this.rwy.count[v] as number); ty++) {
          const y = (this.rwy.start[v] as number) + ty;
          const wy = this.rwy.w[v * MAX_SPAN + ty] as number;
          for (let tx = 0; tx < (this.rwx.count[u] as number); tx++) s += wy * (this.rwx.w[u * MAX_SPAN + tx] as number) * (container[y * n + (this.rwx.start[u] as number) + tx] as number);
        }
        win[v * n + u] = s;
      }
    }
    return win;
  }
  private readonly cwx = newWeights(CHROMA_SIDE);
  private readonly cwy = newWeights(CHROMA_SIDE);

  /**
   * The best placement of either image as a crop of the other: both directions searched coarsely,
   * the better one refined (refining is most of the cost).
   */
  align(a: Uint8Array, aspectA: number, b: Uint8Array, aspectB: number): Placement & { container: 0 | 1 } {
    const coarse = [this.coarseSearch(a, aspectA, b, aspectB), this.coarseSearch(b, aspectB, a, aspectA)] as const;
    const top = Math.max(coarse[0].score, coarse[1].score);
    let best: Placement & { container: 0 | 1 } = { ...NO_PLACEMENT, container: 0 };
    for (const container of [0, 1] as const) {
      // A direction clearly behind the other on the coarse level is not refined.
      const start = coarse[container];
      if (start.score < COARSE_FLOOR || start.score < top - COARSE_MARGIN) continue;
      const [c, k] = container === 0 ? [a, b] : [b, a];
      const ratio = container === 0 ? aspectB / aspectA : aspectA / aspectB;
      this.fine.load(c, k);
      const fine = climb(this.fine, { ...start, score: this.fine.score(start) }, ratio, FINE_STEPS);
      if (fine.score > best.score) best = { ...fine, colour: this.colourAt(c, k, fine), container };
    }
    return best;
  }

  /** Best window of `crop` inside `container` on the coarse level (grid, then hill climb). */
  private coarseSearch(container: Uint8Array, aspectC: number, crop: Uint8Array, aspectK: number): Window & { score: number } {
    const none = { score: -2, sx: 1, sy: 1, ox: 0, oy: 0 };
    // Window aspect: (sx W) / (sy H) = aspectK, so sx / sy = aspectK / aspectC.
    const ratio = aspectK / aspectC;
    if (ratio < MIN_CROP_SCALE - 1e-9 || ratio > 1 / MIN_CROP_SCALE + 1e-9) return none;
    if (!this.coarse.load(container, crop)) return none;
    let best: Window & { score: number } = none;
    for (let k = MIN_CROP_SCALE; k <= 1 + 1e-9; k += SCALE_STEP) {
      const { sx, sy } = windowSize(k, ratio);
      for (let ox = 0; ox <= 1 - sx + 1e-9; ox += OFFSET_STEP) {
        for (let oy = 0; oy <= 1 - sy + 1e-9; oy += OFFSET_STEP) {
          const w = { score: 0, sx, sy, ox, oy };
          if (!admissible(w)) continue;
          w.score = this.coarse.score(w);
          if (w.score > best.score) best = w;
        }
      }
    }
    return best.score < -1 ? none : climb(this.coarse, best, ratio, COARSE_STEPS);
  }

  /**
   * Grey correlation of `crop` (whole) placed at a fixed window of `container`: the whole-frame
   * check (identity window, or where padding puts it). No search: the window is given.
   */
  frameScore(container: Uint8Array, crop: Uint8Array, w: Window): number {
    if (!this.fine.load(container, crop)) return this.fine.flatMatch(container, crop);
    return this.fine.score(clampWindow(w));
  }

  /**
   * The same around an estimated window (where trimmed padding says the content sits: trims are
   * off by a pixel or two of JPEG fringe): a hill climb of each edge's position within
   * +-PAD_SLACK of the estimate. Returns the best window and its correlation.
   */
  paddedScore(container: Uint8Array, crop: Uint8Array, estimate: Window): { score: number; w: Window } {
    const start = clampWindow(estimate);
    if (!this.fine.load(container, crop)) return { score: this.fine.flatMatch(container, crop), w: start };
    let best = { ...start, score: this.fine.score(start) };
    for (const step of PAD_STEPS) {
      for (let improved = true; improved; ) {
        improved = false;
        for (const [dsx, dsy, dox, doy] of PAD_MOVES) {
          const w = { sx: best.sx + dsx * step, sy: best.sy + dsy * step, ox: best.ox + dox * step, oy: best.oy + doy * step };
          if (w.sx > 1 || w.sy > 1 || w.ox < 0 || w.oy < 0 || w.ox + w.sx > 1 + 1e-9 || w.oy + w.sy > 1 + 1e-9) continue;
          if (Math.abs(w.sx - start.sx) > PAD_SLACK || Math.abs(w.sy - start.sy) > PAD_SLACK || Math.abs(w.ox - start.ox) > PAD_SLACK || Math.abs(w.oy - start.oy) > PAD_SLACK) continue;
          const score = this.fine.score(w);
          if (score > best.score + 1e-6) {
            best = { ...w, score };
            improved = true;
          }
        }
      }
    }
    const { score, ...w } = best;
    return { score, w };
  }

  /**
   * Colour distance between `crop` and the window of `container` it sits at, on the 8x8 OKLab
   * a/b planes: per cell, the angle between the two (a, b) vectors (the hue difference, which
   * brightness, contrast and JPEG leave about alone), or 90 degrees where one cell has colour and
   * the other has lost it (a region recoloured grey or black); cells neutral in both count for
   * nothing; averaged with the cells' chroma as weight. A hue rotation of the whole picture by
   * theta measures ~theta, a recoloured region its share of the colour times its hue change.
   * NaN when either image is colourless (a greyscale copy: the colours are not contradicted).
   */
  colourAt(container: Uint8Array, crop: Uint8Array, p: Window): number {
    if (colourless(container) || colourless(crop)) return Number.NaN;
    const w = clampWindow(p);
    const base = ALIGN_SIDE * ALIGN_SIDE;
    const cells = CHROMA_SIDE * CHROMA_SIDE;
    axisWeights(w.ox, w.sx, CHROMA_SIDE, CHROMA_SIDE, this.cwx);
    axisWeights(w.oy, w.sy, CHROMA_SIDE, CHROMA_SIDE, this.cwy);
    let weight = 0;
    let total = 0;
    for (let v = 0; v < CHROMA_SIDE; v++) {
      for (let u = 0; u < CHROMA_SIDE; u++) {
        const q = [0, 0];
        for (let plane = 0; plane < 2; plane++) {
          const off = base + plane * cells;
          let s = 0;
          for (let ty = 0; ty < (this.cwy.count[v] as number); ty++) {
            const y = (this.cwy.start[v] as number) + ty;
            const wyv = this.cwy.w[v * MAX_SPAN + ty] as number;
            for (let tx = 0; tx < (this.cwx.count[u] as number); tx++) {
              s += wyv * (this.cwx.w[u * MAX_SPAN + tx] as number) * (container[off + y * CHROMA_SIDE + (this.cwx.start[u] as number) + tx] as number);
            }
          }
          q[plane] = s - 128;
        }
        const pa = (crop[base + v * CHROMA_SIDE + u] as number) - 128;
        const pb = (crop[base + cells + v * CHROMA_SIDE + u] as number) - 128;
        const cp = Math.hypot(pa, pb);
        const cq = Math.hypot(q[0] as number, q[1] as number);
        const most = Math.max(cp, cq);
        if (most < NEUTRAL_CHROMA) continue;
        let diff: number;
        if (Math.min(cp, cq) < LOST_CHROMA * most) diff = 90;
        else diff = (Math.acos(Math.max(-1, Math.min(1, (pa * (q[0] as number) + pb * (q[1] as number)) / (cp * cq)))) * 180) / Math.PI;
        weight += most;
        total += most * diff;
      }
    }
    return weight > 0 ? total / weight : 0;
  }
}

/** A block needs this grey variance (levels squared) to say anything about motion. */
const BLOCK_TEXTURE = 60;
/** A block has moved when a one-pixel shift cuts its squared difference below this share ... */
const MOVED_GAIN = 0.6;
/** ... and the unshifted difference is not already negligible (a share of the block's variance). */
const MOVED_FLOOR = 0.05;
const SHIFTS: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
];

/** How far (thumbnail pixels) movedBlocks may move each edge of the window to undo a misregistration. */
const REGISTER_SLACK = 1;
/** Edge moves of that search, in half pixels: [left, right, top, bottom]. */
const EDGE_MOVES: ReadonlyArray<readonly [number, number, number, number]> = [
  [1, 0, 0, 0],
  [-1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, -1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, -1, 0],
  [0, 0, 0, 1],
  [0, 0, 0, -1],
];

/** How far (fraction of the frame) the padded-content window may move from where the trims put it. */
const PAD_SLACK = 0.03;
const PAD_STEPS = [0.01, 0.004];
/** Moves of the padded-content climb: [x scale, y scale, x offset, y offset] in steps; scale moves keep the window centred. */
const PAD_MOVES: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 0, 1, 0],
  [0, 0, -1, 0],
  [0, 0, 0, 1],
  [0, 0, 0, -1],
  [1, 0, -0.5, 0],
  [-1, 0, 0.5, 0],
  [0, 1, 0, -0.5],
  [0, -1, 0, 0.5],
];

/** A cell whose (a, b) stays within this many levels of neutral (0.025 OKLab) has no colour to compare. */
const NEUTRAL_CHROMA = 10;
/** A cell keeping less than this share of the other's chroma has lost its colour (or gained one). */
const LOST_CHROMA = 0.3;

function clampWindow(w: Window): Window {
  const sx = Math.min(1, w.sx);
  const sy = Math.min(1, w.sy);
  return { sx, sy, ox: Math.max(0, Math.min(1 - sx, w.ox)), oy: Math.max(0, Math.min(1 - sy, w.oy)) };
}

/** The signature of the left-right mirrored picture (grey thumbnail and chroma planes flipped). */
export function mirrorSignature(sig: Uint8Array): Uint8Array {
  const out = new Uint8Array(ALIGN_BYTES);
  for (let y = 0; y < ALIGN_SIDE; y++) for (let x = 0; x < ALIGN_SIDE; x++) out[y * ALIGN_SIDE + x] = sig[y * ALIGN_SIDE + ALIGN_SIDE - 1 - x] as number;
  const base = ALIGN_SIDE * ALIGN_SIDE;
  for (let plane = 0; plane < 2; plane++) {
    const off = base + plane * CHROMA_SIDE * CHROMA_SIDE;
    for (let y = 0; y < CHROMA_SIDE; y++) for (let x = 0; x < CHROMA_SIDE; x++) out[off + y * CHROMA_SIDE + x] = sig[off + y * CHROMA_SIDE + CHROMA_SIDE - 1 - x] as number;
  }
  return out;
}

/**
 * Hill-climbs a window in shrinking steps, staying admissible: scale (the y scale follows from the
 * crop's aspect), scale about the window's centre, and offset on each axis.
 */
function climb(level: Level, start: Window & { score: number }, ratio: number, steps: readonly number[]): Window & { score: number } {
  let best = start;
  let k = ratio <= 1 ? best.sy : best.sx;
  for (const step of steps) {
    for (let improved = true; improved; ) {
      improved = false;
      for (const [dk, centred, dox, doy] of MOVES) {
        const { sx, sy } = windowSize(k + dk * step, ratio);
        const w = {
          score: 0,
          sx,
          sy,
          ox: best.ox + dox * step - (centred ? (sx - best.sx) / 2 : 0),
          oy: best.oy + doy * step - (centred ? (sy - best.sy) / 2 : 0),
        };
        if (!admissible(w)) continue;
        w.score = level.score(w);
        if (w.score > best.score + 1e-6) {
          best = w;
          k += dk * step;
          improved = true;
        }
      }
    }
  }
  return best;
}

/** Moves of the hill climb: [scale change, about the centre?, x offset change, y offset change], in steps. */
const MOVES: ReadonlyArray<readonly [number, boolean, number, number]> = [
  [1, false, 0, 0],
  [-1, false, 0, 0],
  [1, true, 0, 0],
  [-1, true, 0, 0],
  [0, false, 1, 0],
  [0, false, -1, 0],
  [0, false, 0, 1],
  [0, false, 0, -1],
];

/** No cell of either chroma plane strays from neutral by more than this: a grey image. */
const COLOURLESS = 4;

export function colourless(sig: Uint8Array): boolean {
  for (let i = ALIGN_SIDE * ALIGN_SIDE; i < ALIGN_BYTES; i++) if (Math.abs((sig[i] as number) - 128) > COLOURLESS) return false;
  return true;
}
