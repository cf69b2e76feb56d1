import { TableCreation, TableSetMigration } from '@nest-scim/persistence';

/** Written by `npm run migration:generate` (SQLite); the table prefix stands as pfx_placeholder_. */
export class ProvisioningInitial1795873913928 extends TableSetMigration {
  readonly name = 'ProvisioningInitial1795873913928';

  protected readonly tables: TableCreation[] = [
    {
      table: 'scim_users',
      columns: ['scim_id', 'user_id', 'created_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_scim_users" ("scim_id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL)`,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_scim_users_user_id" ON "pfx_placeholder_scim_users" ("user_id") `,
      ],
    },
    {
      table: 'scim_groups',
      columns: ['scim_id', 'group_id', 'created_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_scim_groups" ("scim_id" varchar(36) PRIMARY KEY NOT NULL, "group_id" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL)`,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_scim_groups_group_id" ON "pfx_placeholder_scim_groups" ("group_id") `,
      ],
    },
    {
      table: 'scim_group_profiles',
      columns: [
        'group_id',
        'display_name',
        'display_name_normalized',
        'external_id',
        'version',
        'created_at',
        'updated_at',
      ],
      statements: [
        `CREATE TABLE "pfx_placeholder_scim_group_profiles" ("group_id" varchar(64) PRIMARY KEY NOT NULL, "display_name" varchar(255) NOT NULL, "display_name_normalized" varchar(255) NOT NULL, "external_id" varchar(255), "version" integer NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`,
        `CREATE INDEX "pfx_placeholder_ix_scim_group_profiles_updated" ON "pfx_placeholder_scim_group_profiles" ("updated_at", "group_id") `,
        `CREATE INDEX "pfx_placeholder_ix_scim_group_profiles_created" ON "pfx_placeholder_scim_group_profiles" ("created_at", "group_id") `,
        `CREATE INDEX "pfx_placeholder_ix_scim_group_profiles_external_id" ON "pfx_placeholder_scim_group_profiles" ("external_id") `,
        `CREATE INDEX "pfx_placeholder_ix_scim_group_profiles_display_name" ON "pfx_placeholder_scim_group_profiles" ("display_name_normalized") `,
      ],
    },
    {
      table: 'scim_user_profiles',
      columns: [
        'user_id',
        'user_name',
        'user_name_normalized',
        'active',
        'external_id',
        'display_name',
        'display_name_normalized',
        'given_name',
        'family_name',
        'given_name_normalized',
        'family_name_normalized',
        'employee_number',
        'manager_id',
        'document',
        'version',
        'created_at',
        'updated_at',
      ],
      statements: [
        `CREATE TABLE "pfx_placeholder_scim_user_profiles" ("user_id" varchar(64) PRIMARY KEY NOT NULL, "user_name" varchar(255) NOT NULL, "user_name_normalized" varchar(255) NOT NULL, "active" boolean NOT NULL, "external_id" varchar(255), "display_name" varchar(255), "display_name_normalized" varchar(255), "given_name" varchar(255), "family_name" varchar(255), "given_name_normalized" varchar(255), "family_name_normalized" varchar(255), "employee_number" varchar(255), "manager_id" varchar(255), "document" text NOT NULL, "version" integer NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`,
        `CREATE INDEX "pfx_placeholder_ix_scim_user_profiles_updated" ON "pfx_placeholder_scim_user_profiles" ("updated_at", "user_id") `,
        `CREATE INDEX "pfx_placeholder_ix_scim_user_profiles_created" ON "pfx_placeholder_scim_user_profiles" ("created_at", "user_id") `,
        `CREATE INDEX "pfx_placeholder_ix_scim_user_profiles_external_id" ON "pfx_placeholder_scim_user_profiles" ("external_id") `,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_scim_user_profiles_user_name" ON "pfx_placeholder_scim_user_profiles" ("user_name_normalized") `,
      ],
    },
    {
      table: 'scim_activity_records',
      columns: [
        'id',
        'occurred_at',
        'request_id',
        'method',
        'route',
        'resource_type',
        'resource_id',
        'subject',
        'operation',
        'member_changes',
        'status',
        'scim_type',
        'detail',
        'cause',
        'duration_ms',
      ],
      statements: [
        `CREATE TABLE "pfx_placeholder_scim_activity_records" ("id" varchar(36) PRIMARY KEY NOT NULL, "occurred_at" datetime(3) NOT NULL, "request_id" varchar(64), "method" varchar(8) NOT NULL, "route" varchar(48) NOT NULL, "resource_type" varchar(16), "resource_id" varchar(64), "subject" varchar(255), "operation" varchar(16) NOT NULL, "member_changes" integer NOT NULL, "status" integer NOT NULL, "scim_type" varchar(32), "detail" varchar(512), "cause" varchar(32), "duration_ms" integer NOT NULL)`,
        `CREATE INDEX "pfx_placeholder_ix_scim_activity_resource" ON "pfx_placeholder_scim_activity_records" ("resource_type", "resource_id") `,
        `CREATE INDEX "pfx_placeholder_ix_scim_activity_occurred" ON "pfx_placeholder_scim_activity_records" ("occurred_at", "id") `,
      ],
    },
    {
      table: 'scim_user_emails',
      columns: ['user_id', 'position', 'value', 'value_normalized', 'type', 'type_normalized', 'is_primary'],
      statements: [
        `CREATE TABLE "pfx_placeholder_scim_user_emails" ("user_id" varchar(64) NOT NULL, "position" integer NOT NULL, "value" varchar(320) NOT NULL, "value_normalized" varchar(320) NOT NULL, "type" varchar(255), "type_normalized" varchar(255), "is_primary" boolean NOT NULL, PRIMARY KEY ("user_id", "position"))`,
        `CREATE INDEX "pfx_placeholder_ix_scim_user_emails_value" ON "pfx_placeholder_scim_user_emails" ("value_normalized") `,
      ],
    },
    {
      table: 'scim_audit_events',
      columns: [
        'id',
        'occurred_at',
        'request_id',
        'token_id',
        'actor_user_id',
        'actor_login',
        'action',
        'resource_type',
        'resource_id',
        'internal_id',
        'attributes',
        'members',
        'ignored',
      ],
      statements: [
        `CREATE TABLE "pfx_placeholder_scim_audit_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "occurred_at" datetime(3) NOT NULL, "request_id" varchar(64), "token_id" varchar(36), "actor_user_id" varchar(36), "actor_login" varchar(255), "action" varchar(16) NOT NULL, "resource_type" varchar(16) NOT NULL, "resource_id" varchar(64) NOT NULL, "internal_id" varchar(64), "attributes" text NOT NULL, "members" text, "ignored" text)`,
        `CREATE INDEX "pfx_placeholder_ix_scim_audit_events_token" ON "pfx_placeholder_scim_audit_events" ("token_id") `,
        `CREATE INDEX "pfx_placeholder_ix_scim_audit_events_resource" ON "pfx_placeholder_scim_audit_events" ("resource_type", "resource_id") `,
        `CREATE INDEX "pfx_placeholder_ix_scim_audit_events_occurred" ON "pfx_placeholder_scim_audit_events" ("occurred_at", "id") `,
      ],
    },
  ];
}
