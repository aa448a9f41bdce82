/**
 * Listing-level duplicates: listings are tied together when they show the same photo (one near
 * group of images, or the same image). A merchandiser asks two questions of that:
 *  - merge: the same seller listing the same product several times (listings to merge);
 *  - copied: several sellers showing the same photo (copied photos: a rights and trust problem).
 * Pure functions over photo groups and listing fields; the finder feeds them (finder.ts).
 */

export type ListingView = 'all' | 'merge' | 'copied';

export interface ListingFacts {
  seller: string | null;
}

export interface ListingCluster {
  kind: 'same_seller' | 'different_sellers';
  /** Listing ids, in first-seen order. */
  listings: string[];
  /** Named sellers, distinct, sorted. */
  sellers: string[];
  /** Indices of the photos (into the input) that tie at least two of these listings together. */
  photos: number[];
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    let cur = x;
    while (cur !== root) {
      const next = this.parent.get(cur) ?? root;
      this.parent.set(cur, root);
      cur = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/**
 * Clusters of listings sharing photos. `photos[k]` lists the listing ids showing photo k (any of
 * its images). merge: only listings of one seller are tied (a listing without a seller counts as
 * its own seller, so it is never merged by guesswork); copied: clusters with two or more named
 * sellers; all: every cluster of two or more listings.
 */
export function clusterListings(photos: ReadonlyArray<readonly string[]>, facts: ReadonlyMap<string, ListingFacts>, view: ListingView): ListingCluster[] {
  const uf = new UnionFind();
  const sellerKey = (id: string) => {
    const seller = facts.get(id)?.seller;
    return seller ? `s:${seller}` : `l:${id}`;
  };
  const order = new Map<string, number>();
  const ties = (listings: readonly string[]): string[][] => {
    if (view !== 'merge') return [Array.from(new Set(listings))];
    const bySeller = new Map<string, string[]>();
    for (const id of new Set(listings)) {
      const key = sellerKey(id);
      const list = bySeller.get(key);
      if (list) list.push(id);
      else bySeller.set(key, [id]);
    }
    return [...bySeller.values()];
  };
  photos.forEach((listings) => {
    for (const id of listings) if (!order.has(id)) order.set(id, order.size);
    for (const part of ties(listings)) for (let x = 1; x < part.length; x++) uf.union(part[0]!, part[x]!);
  });
  const members = new Map<string, string[]>();
  for (const id of order.keys()) {
    const root = uf.find(id);
    const list = members.get(root);
    if (list) list.push(id);
    else members.set(root, [id]);
  }
  const photosOf = new Map<string, number[]>();
  photos.forEach((listings, k) => {
    for (const part of ties(listings)) {
      if (part.length < 2) continue;
      const root = uf.find(part[0]!);
      const list = photosOf.get(root);
      if (!list) photosOf.set(root, [k]);
      else if (list[list.length - 1] !== k) list.push(k);
    }
  });
  const out: ListingCluster[] = [];
  for (const [root, listings] of members) {
    if (listings.length < 2) continue;
    const sellers = [...new Set(listings.map((id) => facts.get(id)?.seller).filter((s): s is string => !!s))].sort();
    const kind = sellers.length >= 2 ? 'different_sellers' : 'same_seller';
    if (view === 'copied' && kind !== 'different_sellers') continue;
    out.push({ kind, listings, sellers, photos: photosOf.get(root) ?? [] });
  }
  return out;
}

/** Order of listing clusters: most sellers first (copied photos), or most listings first. */
export function sortClusters(clusters: ListingCluster[], by: 'sellers' | 'listings'): ListingCluster[] {
  return clusters.sort((x, y) =>
    by === 'sellers'
      ? y.sellers.length - x.sellers.length || y.listings.length - x.listings.length || x.listings[0]!.localeCompare(y.listings[0]!)
      : y.listings.length - x.listings.length || y.sellers.length - x.sellers.length || x.listings[0]!.localeCompare(y.listings[0]!),
  );
}

/** Whether a listing's source is the one named: the stored path, its file name, or the name without extension. */
export function sourceMatches(stored: string | null, wanted: string): boolean {
  if (!stored) return false;
  if (stored === wanted) return true;
  const base = stored.split(/[\\/]/).pop() ?? stored;
  return base === wanted || base.replace(/\.[^.]+$/, '') === wanted;
}
