import { SQL_CHUNK_SIZE } from './identity.constants';

/** Splits a list of ids into IN (…) sized chunks. */
export function chunks<T>(values: readonly T[], size = SQL_CHUNK_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

export interface PageRequest {
  /** 1-based page number (default 1). */
  page?: number;
  /** Items per page (default 50, at most 500). */
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function resolvePage(
  request: PageRequest,
  maxPageSize: number,
): { page: number; pageSize: number; offset: number } {
  const page = Math.max(1, Math.floor(request.page ?? 1));
  const pageSize = Math.min(maxPageSize, Math.max(1, Math.floor(request.pageSize ?? 50)));
  if (!Number.isFinite(page) || !Number.isFinite(pageSize)) {
    return { page: 1, pageSize: 50, offset: 0 };
  }
  return { page, pageSize, offset: (page - 1) * pageSize };
}
