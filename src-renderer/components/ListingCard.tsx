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
  /** Top-right badge (score). */
  score?: ReactNode;
  rank?: number;
  footer?: ReactNode;
  selected?: boolean;
  onClick?: () => void;
  title?: string;
}

/** A product card: square thumbnail, title, price · seller. A button when it can be clicked. */
export function ListingCard({ sha256, listing, score, rank, footer, selected, onClick, title }: Props) {
  const { language } = useI18n();
  const body = (
    <>
      <div className="thumb">
        {sha256 ? <Thumb sha256={sha256} alt={listing?.title ?? sha256.slice(0, 12)} /> : <div className="no-image" aria-hidden="true" />}
        {rank !== undefined ? <span className="rank">#{rank}</span> : null}
        {score !== undefined ? <span className="score">{score}</span> : null}
      </div>
      <div className="listing-info">
        <div className="listing-title" title={listing?.title}>
          {listing?.title ?? sha256?.slice(0, 12)}
        </div>
        <div className="listing-meta">
          {[listing?.price != null ? formatPrice(language, listing.price) : undefined, listing?.seller, listing?.category].filter(Boolean).join(' · ') || '\u00a0'}
        </div>
        {footer}
      </div>
    </>
  );
  const className = selected ? 'listing selected' : 'listing';
  return onClick ? (
    <button type="button" className={className} onClick={onClick} title={title} aria-pressed={selected}>
      {body}
    </button>
  ) : (
    <div className={className} title={title}>
      {body}
    </div>
  );
}
