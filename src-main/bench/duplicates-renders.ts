/**
 * Product-like objects and table-top scenes drawn as SVG, each also drawn as a hard negative of
 * itself (repainted, turned, seen from a moved camera): the render source of the
 * duplicates-quality corpus, and the alignment tests' pictures.
 */

interface ProductPart {
  /** Polygon points around (0, 0), in units of the product's size. */
  points: Array<[number, number]>;
  hue: number;
  sat: number;
  light: number;
  /** Depth in front of the product's axis (units of size): parts shift apart when it turns. */
  depth: number;
}

interface Product {
  parts: ProductPart[];
  background: string;
  cx: number;
  cy: number;
  size: number;
  label: string;
}

/** Size of a product render (scenes are 3/4 as tall). */
export const W = 480;
export const H = 480;

function blob(rand: () => number, cx: number, cy: number, rx: number, ry: number, n = 9): Array<[number, number]> {
  return Array.from({ length: n }, (_, i) => {
    const a = (i / n) * 2 * Math.PI;
    const r = 0.8 + rand() * 0.35;
    return [cx + Math.cos(a) * rx * r, cy + Math.sin(a) * ry * r] as [number, number];
  });
}

/** A product-like object: a body, a base, a handle or strap and an accent, each its own flat colour, on a light studio background. */
export function randomProduct(rand: () => number): Product {
  const hue = () => Math.floor(rand() * 360);
  const part = (points: Array<[number, number]>, depth: number): ProductPart => ({ points, hue: hue(), sat: 45 + rand() * 45, light: 35 + rand() * 30, depth });
  return {
    parts: [
      part(blob(rand, 0, 0, 0.42 + rand() * 0.12, 0.3 + rand() * 0.15), 0),
      part(blob(rand, 0, 0.34, 0.46, 0.07, 7), 0.15),
      part(blob(rand, (rand() - 0.5) * 0.3, -0.38, 0.14, 0.1, 7), -0.2),
      part(blob(rand, (rand() - 0.5) * 0.4, (rand() - 0.5) * 0.2, 0.1, 0.08, 6), 0.3),
    ],
    background: ['#ffffff', '#f4f4f4', '#efe9e1', '#eef2f6'][Math.floor(rand() * 4)]!,
    cx: W * (0.45 + rand() * 0.1),
    cy: H * (0.47 + rand() * 0.06),
    size: W * (0.55 + rand() * 0.2),
    label: ['NEW', 'ORIGINAL', 'PRO', 'LITE', ''][Math.floor(rand() * 5)]!,
  };
}

/** The product with its body and one more part repainted in a hue at least 70 degrees away. */
export function recolourRegions(p: Product, rand: () => number): Product {
  const parts = p.parts.map((x) => ({ ...x }));
  const other = 1 + Math.floor(rand() * (parts.length - 1));
  for (const i of [0, other]) {
    const x = parts[i]!;
    x.hue = (x.hue + 70 + rand() * 220) % 360;
  }
  return { ...p, parts };
}

/** SVG of the product turned by `yaw` radians about its vertical axis (0: as listed). */
export function productSvg(p: Product, yaw: number): string {
  const poly = (part: ProductPart) =>
    part.points
      .map(([x, y]) => {
        const px = p.cx + (x * Math.cos(yaw) + part.depth * Math.sin(yaw)) * p.size;
        return `${px.toFixed(1)},${(p.cy + y * p.size).toFixed(1)}`;
      })
      .join(' ');
  const shadowX = p.cx + Math.sin(yaw) * p.size * 0.3;
  const parts = p.parts.map((part) => `<polygon points="${poly(part)}" fill="hsl(${part.hue.toFixed(0)},${part.sat.toFixed(0)}%,${part.light.toFixed(0)}%)"/>`).join('');
  const label = p.label ? `<text x="${(p.cx + Math.sin(yaw) * p.size * 0.1).toFixed(1)}" y="${(p.cy + 0.05 * p.size).toFixed(1)}" text-anchor="middle" font-family="sans-serif" font-weight="bold" font-size="${(p.size * 0.09).toFixed(0)}" fill="#ffffff" fill-opacity="0.9">${p.label}</text>` : '';
  return `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg"><rect width="${W}" height="${H}" fill="${p.background}"/><ellipse cx="${shadowX.toFixed(1)}" cy="${(p.cy + p.size * 0.42).toFixed(1)}" rx="${(p.size * 0.45).toFixed(1)}" ry="${(p.size * 0.05).toFixed(1)}" fill="#000" fill-opacity="0.18"/>${parts}${label}</svg>`;
}

interface SceneObject {
  x: number;
  y: number;
  z: number;
  w: number;
  h: number;
  shape: 'rect' | 'ellipse';
  fill: string;
}

interface Scene {
  sky: string;
  ground: string;
  horizon: number;
  objects: SceneObject[];
}

/** A table-top scene: a wall and a floor, and objects at depths 1.5-5 (nearer ones bigger and lower). */
export function randomScene(rand: () => number): Scene {
  const colour = () => `hsl(${Math.floor(rand() * 360)},${Math.floor(30 + rand() * 50)}%,${Math.floor(30 + rand() * 40)}%)`;
  const objects: SceneObject[] = Array.from({ length: 5 + Math.floor(rand() * 3) }, () => ({
    x: (rand() - 0.5) * 3,
    y: 0.2 + rand() * 0.6,
    z: 1.5 + rand() * 3.5,
    w: 0.5 + rand() * 0.9,
    h: 0.7 + rand() * 1.3,
    shape: rand() < 0.5 ? 'rect' : 'ellipse',
    fill: colour(),
  }));
  objects.sort((a, b) => b.z - a.z);
  return { sky: colour(), ground: colour(), horizon: 0.35 + rand() * 0.2, objects };
}

/** The scene seen from a camera moved sideways by `camera` (scene units) and forward by `forward`. */
export function sceneSvg(s: Scene, camera: number, forward: number): string {
  const f = W * 0.55;
  const shapes = s.objects
    .map((o) => {
      const z = o.z - forward;
      const cx = W / 2 + ((o.x - camera) / z) * f;
      const bottom = H * s.horizon + (o.y / z) * f * 1.2;
      const w = (o.w / z) * f;
      const h = (o.h / z) * f;
      return o.shape === 'rect'
        ? `<rect x="${(cx - w / 2).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${o.fill}"/>`
        : `<ellipse cx="${cx.toFixed(1)}" cy="${(bottom - h / 2).toFixed(1)}" rx="${(w / 2).toFixed(1)}" ry="${(h / 2).toFixed(1)}" fill="${o.fill}"/>`;
    })
    .join('');
  return `<svg width="${W}" height="${(H * 0.75).toFixed(0)}" xmlns="http://www.w3.org/2000/svg"><rect width="${W}" height="${H}" fill="${s.sky}"/><rect y="${(H * s.horizon).toFixed(1)}" width="${W}" height="${H}" fill="${s.ground}"/>${shapes}</svg>`;
}
