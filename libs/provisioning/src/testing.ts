/**
 * Test helpers for hosts and adapter authors (`@nest-scim/provisioning/testing`): the directory port's contract suite, which
 * any ScimDirectory adapter runs from its own spec, on SQLite and on MySQL.
 */
export { describeScimDirectoryContract } from './directory/scim-directory.contract';
export type {
  ProductUserState,
  ScimDirectoryContractOptions,
  ScimDirectoryContractSubject,
} from './directory/scim-directory.contract';
