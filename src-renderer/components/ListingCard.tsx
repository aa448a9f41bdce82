import type { ReactNode } from 'react';
import { mediaUrl } from '../api/client';
import { formatPrice } from '../format';
import { useI18n } from '../i18n';

/** A catalog image by sha256, loaded lazily from the thumbnail endpoint. */
export function Thumb({ sha256, alt, size }: { sha256: string; alt: string; size?: number }) {
  return (
    <img
      src={mediaUrl('thumb', sha256)}
      alt={alt}
      loading="lazy"
      decoding="async"
      width={size}
      height={size}
      draggable={false}
      className={size ? 'mini-thumb' : undefined}
      style={size ? { width: size, height: size } : undefined}
    />
  );
}

export interface CardListing {
  id: string;
  title: string;
  price?: number | null;
  seller?: string | null;
  category?: string | null;
}

interface Props {
  /** Undefined for a listing without a photo. */
  sha256?: string;
  listing?: CardListing;
  /** The photo's display name (its listing's title, else its file name); defaults to the listing's title. */
  name?: string;
  /** Where the photo is on disk: shown under the name when there is no listing, always in the tooltip. */
  path?: string | null;
  /** Controls of their own under the card (a button cannot hold buttons). */
  after?: ReactNode;
  /** Top-right badge (score). */
  score?: ReactNode;
  rank?: number;
  footer?: ReactNode;
  selected?: boolean;
  onClick?: () => void;
  title?: string;
}

/** A product card: square thumbnail, title, price · seller. A button when it can be clicked. */
export function ListingCard({ sha256, listing, name, path, after, score, rank, footer, selected, onClick, title }: Props) {
  const { language } = useI18n();
  const label = name ?? listing?.title ?? (sha256 ? `${sha256.slice(0, 12)}…` : '');
  const facts = [listing?.price != null ? formatPrice(language, listing.price) : undefined, listing?.seller, listing?.category].filter(Boolean).join(' · ');
  const folder = path ? path.replaceAll('\\', '/').split('/').slice(-2, -1)[0] : undefined;
  const body = (
    <>
      <div className="thumb">
        {sha256 ? <Thumb sha256={sha256} alt={label} /> : <div className="no-image" aria-hidden="true" />}
        {rank !== undefined ? <span className="rank">#{rank}</span> : null}
        {score !== undefined ? <span className="score">{score}</span> : null}
      </div>
      <div className="listing-info">
        <div className="listing-title" title={path ? `${label}\n${path}` : label}>
          {label}
        </div>
        <div className="listing-meta" title={path ?? undefined}>
          {facts || (folder ? `${folder}/` : '\u00a0')}
        </div>
        {footer}
      </div>
    </>
  );
  const className = selected ? 'listing selected' : 'listing';
  const card = onClick ? (
    <button type="button" className={className} onClick={onClick} title={title} aria-pressed={selected}>
      {body}
    </button>
  ) : (
    <div className={className} title={title}>
      {body}
    </div>
  );
  return after ? (
    <div className="listing-stack">
      {card}
      {after}
    </div>
  ) : (
    card
  );
}
