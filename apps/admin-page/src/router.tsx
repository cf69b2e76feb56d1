import { useEffect, useState } from 'preact/hooks';

/** Hash routes: the server serves one page at `/`, and links keep working offline and when reloaded. */
export const ROUTES = {
  saml: '/admin/settings/authentication/saml',
  license: '/admin/license',
  users: '/admin/users',
  groups: '/admin/groups',
  activity: '/admin/provisioning/activity',
} as const;

export type RoutePath = (typeof ROUTES)[keyof typeof ROUTES];

const KNOWN = new Set<string>(Object.values(ROUTES));

export function currentPath(): RoutePath {
  const path = window.location.hash.replace(/^#/, '').split('?')[0];
  return KNOWN.has(path) ? (path as RoutePath) : ROUTES.saml;
}

export function href(path: RoutePath, query?: Record<string, string>): string {
  const search = query ? new URLSearchParams(query).toString() : '';
  return `#${path}${search ? `?${search}` : ''}`;
}

/** A parameter of the hash's query (`#/admin/users?q=alice`), as a link from another screen sets it. */
export function routeParam(name: string): string | null {
  const query = window.location.hash.split('?')[1];
  return query ? new URLSearchParams(query).get(name) : null;
}

export function navigate(path: RoutePath): void {
  if (currentPath() === path && window.location.hash) return;
  window.location.hash = path;
}

export function useRoute(): RoutePath {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}
