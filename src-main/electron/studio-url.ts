// Which frame URLs are the studio's own pages (kept free of Electron so tests can load it).

/** True if a frame URL belongs to the studio's own pages. */
export function isStudioUrl(url: string | undefined, allowedOrigin: string): boolean {
  return typeof url === 'string' && (url === allowedOrigin || url.startsWith(allowedOrigin + '/'));
}
