import type { BuiltInGroupRole, GroupEntity } from './group.entity';

/** A group as services return it. */
export interface GroupView {
  id: string;
  name: string;
  description: string | null;
  /** `default` (every active user) or `administrators` (holds admin); null for other groups. */
  builtIn: BuiltInGroupRole | null;
  /** The identity provider owns it (provisioned through the directory adapter). */
  managed: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function toGroupView(group: GroupEntity): GroupView {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    builtIn: group.builtIn,
    managed: group.managed,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
  };
}
