/** Ironic's link pairs: self = <base>/v1/<res>/<args>, bookmark = <base>/<res>/<args>. */
export interface Link {
  href: string;
  rel: string;
  type?: string;
}

export function linkPair(base: string, resource: string, args = ''): Link[] {
  const tail = args ? `${resource}/${args}` : resource;
  return [
    { href: `${base}/v1/${tail}`, rel: 'self' },
    { href: `${base}/${tail}`, rel: 'bookmark' },
  ];
}
