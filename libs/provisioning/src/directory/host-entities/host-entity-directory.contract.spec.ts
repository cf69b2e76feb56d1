import { openScratchDataSource } from '@nest-scim/persistence/testing';
import { describeScimDirectoryContract } from '../../testing';
import { HostEntityDirectory } from './host-entity-directory';
import type { HostEntityDirectoryOptions } from './host-entity-directory.options';
import { KIT_ENTITIES, KIT_MAPPING, KitPerson, KitSquad } from './host-entity-directory.fixtures';

describeScimDirectoryContract('HostEntityDirectory', {
  async open(dialect) {
    const { dataSource, close } = await openScratchDataSource(dialect, KIT_ENTITIES);
    return {
      dataSource,
      directory: new HostEntityDirectory(dataSource, KIT_MAPPING as HostEntityDirectoryOptions),
      close,
    };
  },
  async readUser(subject, id) {
    const person = await subject.dataSource.manager.findOneBy(KitPerson, { id: Number(id) });
    return (
      person && { userName: person.handle, displayName: person.fullName, email: person.mail, active: person.enabled }
    );
  },
  async readGroupName(subject, id) {
    return (await subject.dataSource.manager.findOneBy(KitSquad, { uid: id }))?.title ?? null;
  },
});
