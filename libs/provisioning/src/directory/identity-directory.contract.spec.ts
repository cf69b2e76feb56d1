import { GroupEntity, UserEntity } from '@nest-scim/identity';
import { openIdentityTestDatabase } from '@nest-scim/identity/testing';
import { describeScimDirectoryContract } from '../testing';
import { IdentityDirectoryAdapter } from './identity-directory.adapter';

describeScimDirectoryContract('IdentityDirectoryAdapter', {
  async open(dialect) {
    const db = await openIdentityTestDatabase(dialect);
    const directory = new IdentityDirectoryAdapter(db.permissions, db.events, db.dataSource);
    return { dataSource: db.dataSource, directory, close: () => db.close() };
  },
  async readUser(subject, id) {
    const user = await subject.dataSource.manager.findOneBy(UserEntity, { id });
    return user && { userName: user.login, displayName: user.name, email: user.email, active: user.active };
  },
  async readGroupName(subject, id) {
    return (await subject.dataSource.manager.findOneBy(GroupEntity, { id }))?.name ?? null;
  },
});
