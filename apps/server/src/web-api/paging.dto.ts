import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '@nest-scim/identity';
import { OptionalBoolean, OptionalInteger, OptionalText } from './web-api-params';

/** Largest page the product's searches return. */
export const MAX_PAGE_SIZE = 500;

/** The parameters every search shares, named as in the product: `q`, `p`, `ps`, and the `managed` filter. */
export class SearchParams {
  @OptionalText('q', {
    description: 'Part of the login, name or email (users) or of the name (groups), case-insensitive',
    maxLength: 255,
    example: 'ali',
  })
  q?: string;

  @OptionalInteger('p', { description: '1-based page number', default: 1, min: 1 })
  p?: number;

  @OptionalInteger('ps', { description: 'Page size', default: 50, min: 1, max: MAX_PAGE_SIZE })
  ps?: number;

  @OptionalBoolean('managed', {
    description:
      'Only managed (true) or only local (false) entries. Only available while the instance is externally managed (SCIM on)',
  })
  managed?: boolean;
}

export class PagingDto {
  @ApiProperty({ example: 1 })
  pageIndex: number;

  @ApiProperty({ example: 50 })
  pageSize: number;

  @ApiProperty({ example: 1 })
  total: number;
}

export function pagingOf(page: Page<unknown>): PagingDto {
  return { pageIndex: page.page, pageSize: page.pageSize, total: page.total };
}
