// The one origin rule of the Electron layer: which URLs are the studio's own pages, which may open in the user's browser.

/**
 * The origin of a URL as scheme://host[:port], or null where it has none (no host, or not a URL).
 * WHATWG gives "null" as the origin of a non-special scheme such as studio:, so the origin is built from the
 * parsed parts; the host is lower-cased as Chromium does for a scheme registered as standard.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.origin !== 'null') return parsed.origin;
  if (parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host.toLowerCase()}`;
}

/** True if the URL's parsed origin is exactly the allowed one (studio://apple, studio://app.evil and studio://app@evil are not studio://app). */
export function isStudioUrl(url: string | undefined, allowedOrigin: string): boolean {
  if (typeof url !== 'string') return false;
  const origin = originOf(url);
  return origin !== null && origin === originOf(allowedOrigin);
}

/** True for a link the studio hands to the user's browser: https only, never file:, http:, javascript: or a custom scheme. */
export function isExternalWebLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname !== '';
  } catch {
    return false;
  }
}
