/**
 * Identity's row-level operations, for a directory adapter that writes identity's tables inside its caller's
 * transaction (the provisioning feature's `IdentityDirectoryAdapter`): each applies the same rule the services do,
 * with the `EntityManager` it is given, and opens no transaction of its own. Hosts use the services instead.
 */
export { checkGroupNameFree, insertGroup, removeGroup, updateGroupRow, validateGroupName } from './groups.service';
export {
  applyUserUpdate,
  changedRows,
  checkExternalLoginFree,
  checkLoginFree,
  deactivateManagedUnlessHolding,
  deactivateUserRow,
  findUserByLoginOrExternalLogin,
  insertNewUser,
  joinDefaultGroup,
  newUserRow,
} from './user-rows';
export { chunks } from './sql.util';
