/** Follows a NextToken-style cursor until the service stops returning one. */
export async function allPages<T>(fetch: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    all.push(...(page.items ?? []));
    token = page.next || undefined;
  } while (token);
  return all;
}
