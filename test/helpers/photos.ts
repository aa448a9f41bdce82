import sharp from 'sharp';

/**
 * A deterministic "photo": overlapping soft ellipses of random colours on a coloured ground, so it
 * has detail at every scale and a broad spectrum like a real photograph (hashes and alignment
 * behave on it as on photos, unlike on flat test patterns).
 */
export async function syntheticPhoto(seed: number, width = 320, height = 240, shapeCount = 40): Promise<Buffer> {
  let s = seed * 7919 + 17;
  const r = () => ((s = (s * 16807) % 2147483647), s / 2147483647);
  const shapes = Array.from({ length: shapeCount }, () => {
    const [cx, cy, rx, ry] = [r() * width, r() * height, 10 + r() * width * 0.3, 10 + r() * height * 0.3];
    const fill = `rgb(${Math.floor(r() * 255)},${Math.floor(r() * 255)},${Math.floor(r() * 255)})`;
    return `<ellipse cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" rx="${rx.toFixed(1)}" ry="${ry.toFixed(1)}" fill="${fill}" fill-opacity="0.7"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="rgb(${Math.floor(r() * 255)},90,60)"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).blur(1.5).jpeg({ quality: 92 }).toBuffer();
}
