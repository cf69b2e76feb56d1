import { TableCreation, TableSetMigration } from '@nest-scim/persistence';

/** Written by `npm run migration:generate` (SQLite); the table prefix stands as pfx_placeholder_. */
export class IdentityInitial1795873913924 extends TableSetMigration {
  readonly name = 'IdentityInitial1795873913924';

  protected readonly tables: TableCreation[] = [
    {
      table: 'user_groups',
      columns: ['id', 'name', 'name_normalized', 'description', 'built_in', 'managed', 'created_at', 'updated_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_user_groups" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(255) NOT NULL, "name_normalized" varchar(255) NOT NULL, "description" varchar(200), "built_in" varchar(32), "managed" boolean NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_user_groups_built_in" ON "pfx_placeholder_user_groups" ("built_in") `,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_user_groups_name_normalized" ON "pfx_placeholder_user_groups" ("name_normalized") `,
      ],
    },
    {
      table: 'users',
      columns: [
        'id',
        'login',
        'login_normalized',
        'name',
        'email',
        'active',
        'local',
        'external_login',
        'external_login_normalized',
        'external_provider',
        'managed',
        'created_at',
        'updated_at',
        'last_connection_date',
      ],
      statements: [
        `CREATE TABLE "pfx_placeholder_users" ("id" varchar(36) PRIMARY KEY NOT NULL, "login" varchar(255) NOT NULL, "login_normalized" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "email" varchar(255), "active" boolean NOT NULL, "local" boolean NOT NULL, "external_login" varchar(255), "external_login_normalized" varchar(255), "external_provider" varchar(32), "managed" boolean NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "last_connection_date" datetime(3))`,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_users_external_login_normalized" ON "pfx_placeholder_users" ("external_login_normalized") `,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_users_login_normalized" ON "pfx_placeholder_users" ("login_normalized") `,
      ],
    },
    {
      table: 'group_members',
      columns: ['group_id', 'user_id', 'created_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_group_members" ("group_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(3) NOT NULL, CONSTRAINT "pfx_placeholder_FK_2c840df5db52dc6b4a1b0b69c6e" FOREIGN KEY ("group_id") REFERENCES "pfx_placeholder_user_groups" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "pfx_placeholder_FK_20a555b299f75843aa53ff8b0ee" FOREIGN KEY ("user_id") REFERENCES "pfx_placeholder_users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("group_id", "user_id"))`,
        `CREATE INDEX "pfx_placeholder_ix_group_members_user_id" ON "pfx_placeholder_group_members" ("user_id") `,
      ],
    },
    {
      table: 'group_permissions',
      columns: ['group_id', 'permission', 'created_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_group_permissions" ("group_id" varchar(36) NOT NULL, "permission" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, CONSTRAINT "pfx_placeholder_FK_3924be6485a5b5d0d2fe1a94c08" FOREIGN KEY ("group_id") REFERENCES "pfx_placeholder_user_groups" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("group_id", "permission"))`,
        `CREATE INDEX "pfx_placeholder_ix_group_permissions_permission" ON "pfx_placeholder_group_permissions" ("permission") `,
      ],
    },
    {
      table: 'user_permissions',
      columns: ['user_id', 'permission', 'created_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_user_permissions" ("user_id" varchar(36) NOT NULL, "permission" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, CONSTRAINT "pfx_placeholder_FK_3495bd31f1862d02931e8e8d2e8" FOREIGN KEY ("user_id") REFERENCES "pfx_placeholder_users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("user_id", "permission"))`,
        `CREATE INDEX "pfx_placeholder_ix_user_permissions_permission" ON "pfx_placeholder_user_permissions" ("permission") `,
      ],
    },
  ];
}
