import { TableCreation, TableSetMigration } from '@nest-scim/persistence';

/** Written by `npm run migration:generate` (SQLite); the table prefix stands as pfx_placeholder_. */
export class Initial1795873913924 extends TableSetMigration {
  readonly name = 'Initial1795873913924';

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
    {
      table: 'sign_in_throttle',
      columns: ['subject_hash', 'failures', 'window_started_at', 'blocked_until'],
      statements: [
        `CREATE TABLE "pfx_placeholder_sign_in_throttle" ("subject_hash" varchar(64) PRIMARY KEY NOT NULL, "failures" integer NOT NULL, "window_started_at" datetime(3) NOT NULL, "blocked_until" datetime(3))`,
      ],
    },
    {
      table: 'user_passwords',
      columns: ['user_id', 'hash', 'updated_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_user_passwords" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "hash" varchar(255) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "pfx_placeholder_FK_69bf155ad044d776976470eb032" FOREIGN KEY ("user_id") REFERENCES "pfx_placeholder_users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
      ],
    },
    {
      table: 'user_sessions',
      columns: ['id', 'user_id', 'token_hash', 'created_at', 'expires_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_user_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3) NOT NULL, CONSTRAINT "pfx_placeholder_FK_e9658e959c490b0a634dfc54783" FOREIGN KEY ("user_id") REFERENCES "pfx_placeholder_users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
        `CREATE INDEX "pfx_placeholder_ix_user_sessions_user_id" ON "pfx_placeholder_user_sessions" ("user_id") `,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_user_sessions_token_hash" ON "pfx_placeholder_user_sessions" ("token_hash") `,
      ],
    },
    {
      table: 'user_tokens',
      columns: ['id', 'user_id', 'name', 'token_hash', 'created_at', 'expires_at', 'last_connection_date'],
      statements: [
        `CREATE TABLE "pfx_placeholder_user_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "name" varchar(100) NOT NULL, "token_hash" varchar(96) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3), "last_connection_date" datetime(3), CONSTRAINT "pfx_placeholder_FK_9e144a67be49e5bba91195ef5de" FOREIGN KEY ("user_id") REFERENCES "pfx_placeholder_users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_user_tokens_user_id_name" ON "pfx_placeholder_user_tokens" ("user_id", "name") `,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_user_tokens_token_hash" ON "pfx_placeholder_user_tokens" ("token_hash") `,
      ],
    },
    {
      table: 'installed_license',
      columns: ['slot', 'license_key', 'installed_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_installed_license" ("slot" varchar(16) PRIMARY KEY NOT NULL, "license_key" text NOT NULL, "installed_at" datetime(3) NOT NULL)`,
      ],
    },
    {
      table: 'internal_properties',
      columns: ['property_key', 'property_value', 'updated_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_internal_properties" ("property_key" varchar(100) PRIMARY KEY NOT NULL, "property_value" text NOT NULL, "updated_at" datetime(3) NOT NULL)`,
      ],
    },
    {
      table: 'saml_settings',
      columns: ['setting_key', 'setting_value', 'updated_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_saml_settings" ("setting_key" varchar(100) PRIMARY KEY NOT NULL, "setting_value" text NOT NULL, "updated_at" datetime(3) NOT NULL)`,
      ],
    },
    {
      table: 'saml_authn_requests',
      columns: ['request_id', 'purpose', 'created_at', 'expires_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_saml_authn_requests" ("request_id" varchar(100) PRIMARY KEY NOT NULL, "purpose" varchar(16) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3) NOT NULL)`,
        `CREATE INDEX "pfx_placeholder_ix_saml_authn_requests_expires_at" ON "pfx_placeholder_saml_authn_requests" ("expires_at") `,
      ],
    },
    {
      table: 'saml_message_ids',
      columns: ['message_id', 'expires_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_saml_message_ids" ("message_id" varchar(255) PRIMARY KEY NOT NULL, "expires_at" datetime(3) NOT NULL)`,
        `CREATE INDEX "pfx_placeholder_ix_saml_message_ids_expires_at" ON "pfx_placeholder_saml_message_ids" ("expires_at") `,
      ],
    },
    {
      table: 'scim_users',
      columns: ['scim_id', 'user_id', 'created_at'],
      statements: [
        `CREATE TABLE "pfx_placeholder_scim_users" ("scim_id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL)`,
        `CREATE UNIQUE INDEX "pfx_placeholder_uq_scim_users_user_id" ON "pfx_placeholder_scim_users" ("user_id") `,
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
  ];
}
