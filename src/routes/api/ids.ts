import { z } from 'zod';

/** A numeric id from a path parameter; anything else becomes 0, which no row has (→ 404). */
export const idOf = (raw: string) => {
  const parsed = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).safeParse(raw);
  return parsed.success ? parsed.data : 0;
};
