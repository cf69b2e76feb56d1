/** The transaction helpers of the persistence layer, as the auth lib uses them. */
export { forUpdate, isUniqueViolation, withTransaction } from '@nest-scim/persistence';
