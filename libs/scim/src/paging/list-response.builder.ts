import { SCIM_URN } from '../schema/scim.urns';

/** The RFC 7644 §3.4.2 query response. */
export interface ListResponse<T> {
  schemas: [typeof SCIM_URN.LIST_RESPONSE];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/**
 * Builds a ListResponse page. `Resources` is always present, `[]` when empty: the RFC lets it be omitted when
 * totalResults is 0, but Entra's Test Connection samples expect the empty array.
 */
export function listResponse<T>(resources: readonly T[], totalResults: number, startIndex: number): ListResponse<T> {
  return {
    schemas: [SCIM_URN.LIST_RESPONSE],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: [...resources],
  };
}
