import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795873913924 implements MigrationInterface {
  name = 'Initial1795873913924';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user_groups" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(255) NOT NULL, "name_normalized" varchar(255) NOT NULL, "description" varchar(200), "built_in" varchar(32), "managed" boolean NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_groups_built_in" ON "user_groups" ("built_in") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_user_groups_name_normalized" ON "user_groups" ("name_normalized") `,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" varchar(36) PRIMARY KEY NOT NULL, "login" varchar(255) NOT NULL, "login_normalized" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "email" varchar(255), "active" boolean NOT NULL, "local" boolean NOT NULL, "external_login" varchar(255), "external_login_normalized" varchar(255), "external_provider" varchar(32), "managed" boolean NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "last_connection_date" datetime(3))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_users_external_login_normalized" ON "users" ("external_login_normalized") `,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_login_normalized" ON "users" ("login_normalized") `);
    await queryRunner.query(
      `CREATE TABLE "group_members" ("group_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(3) NOT NULL, PRIMARY KEY ("group_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_group_members_user_id" ON "group_members" ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "group_permissions" ("group_id" varchar(36) NOT NULL, "permission" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, PRIMARY KEY ("group_id", "permission"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_group_permissions_permission" ON "group_permissions" ("permission") `);
    await queryRunner.query(
      `CREATE TABLE "user_permissions" ("user_id" varchar(36) NOT NULL, "permission" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, PRIMARY KEY ("user_id", "permission"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_user_permissions_permission" ON "user_permissions" ("permission") `);
    await queryRunner.query(
      `CREATE TABLE "sign_in_throttle" ("subject_hash" varchar(64) PRIMARY KEY NOT NULL, "failures" integer NOT NULL, "window_started_at" datetime(3) NOT NULL, "blocked_until" datetime(3))`,
    );
    await queryRunner.query(
      `CREATE TABLE "user_passwords" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "hash" varchar(255) NOT NULL, "updated_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "user_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_user_sessions_user_id" ON "user_sessions" ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_sessions_token_hash" ON "user_sessions" ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "user_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "name" varchar(100) NOT NULL, "token_hash" varchar(96) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3), "last_connection_date" datetime(3))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_tokens_user_id_name" ON "user_tokens" ("user_id", "name") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_tokens_token_hash" ON "user_tokens" ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "installed_license" ("slot" varchar(16) PRIMARY KEY NOT NULL, "license_key" text NOT NULL, "installed_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "internal_properties" ("property_key" varchar(100) PRIMARY KEY NOT NULL, "property_value" text NOT NULL, "updated_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "saml_settings" ("setting_key" varchar(100) PRIMARY KEY NOT NULL, "setting_value" text NOT NULL, "updated_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "saml_authn_requests" ("request_id" varchar(100) PRIMARY KEY NOT NULL, "purpose" varchar(16) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_saml_authn_requests_expires_at" ON "saml_authn_requests" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "saml_message_ids" ("message_id" varchar(255) PRIMARY KEY NOT NULL, "expires_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_saml_message_ids_expires_at" ON "saml_message_ids" ("expires_at") `);
    await queryRunner.query(
      `CREATE TABLE "scim_users" ("scim_id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_scim_users_user_id" ON "scim_users" ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "scim_user_emails" ("user_id" varchar(64) NOT NULL, "position" integer NOT NULL, "value" varchar(320) NOT NULL, "value_normalized" varchar(320) NOT NULL, "type" varchar(255), "type_normalized" varchar(255), "is_primary" boolean NOT NULL, PRIMARY KEY ("user_id", "position"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_scim_user_emails_value" ON "scim_user_emails" ("value_normalized") `);
    await queryRunner.query(
      `CREATE TABLE "scim_user_profiles" ("user_id" varchar(64) PRIMARY KEY NOT NULL, "user_name" varchar(255) NOT NULL, "user_name_normalized" varchar(255) NOT NULL, "active" boolean NOT NULL, "external_id" varchar(255), "display_name" varchar(255), "display_name_normalized" varchar(255), "given_name" varchar(255), "family_name" varchar(255), "given_name_normalized" varchar(255), "family_name_normalized" varchar(255), "employee_number" varchar(255), "manager_id" varchar(255), "document" text NOT NULL, "version" integer NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_user_profiles_updated" ON "scim_user_profiles" ("updated_at", "user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_user_profiles_created" ON "scim_user_profiles" ("created_at", "user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_user_profiles_external_id" ON "scim_user_profiles" ("external_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_scim_user_profiles_user_name" ON "scim_user_profiles" ("user_name_normalized") `,
    );
    await queryRunner.query(
      `CREATE TABLE "scim_audit_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "occurred_at" datetime(3) NOT NULL, "request_id" varchar(64), "token_id" varchar(36), "actor_user_id" varchar(36), "actor_login" varchar(255), "action" varchar(16) NOT NULL, "resource_type" varchar(16) NOT NULL, "resource_id" varchar(64) NOT NULL, "internal_id" varchar(64), "attributes" text NOT NULL, "members" text, "ignored" text)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_scim_audit_events_token" ON "scim_audit_events" ("token_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_scim_audit_events_resource" ON "scim_audit_events" ("resource_type", "resource_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_audit_events_occurred" ON "scim_audit_events" ("occurred_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "scim_groups" ("scim_id" varchar(36) PRIMARY KEY NOT NULL, "group_id" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_scim_groups_group_id" ON "scim_groups" ("group_id") `);
    await queryRunner.query(
      `CREATE TABLE "scim_group_profiles" ("group_id" varchar(64) PRIMARY KEY NOT NULL, "display_name" varchar(255) NOT NULL, "display_name_normalized" varchar(255) NOT NULL, "external_id" varchar(255), "version" integer NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_group_profiles_updated" ON "scim_group_profiles" ("updated_at", "group_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_group_profiles_created" ON "scim_group_profiles" ("created_at", "group_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_group_profiles_external_id" ON "scim_group_profiles" ("external_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_group_profiles_display_name" ON "scim_group_profiles" ("display_name_normalized") `,
    );
    await queryRunner.query(`DROP INDEX "ix_group_members_user_id"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_group_members" ("group_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_2c840df5db52dc6b4a1b0b69c6e" FOREIGN KEY ("group_id") REFERENCES "user_groups" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_20a555b299f75843aa53ff8b0ee" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("group_id", "user_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_group_members"("group_id", "user_id", "created_at") SELECT "group_id", "user_id", "created_at" FROM "group_members"`,
    );
    await queryRunner.query(`DROP TABLE "group_members"`);
    await queryRunner.query(`ALTER TABLE "temporary_group_members" RENAME TO "group_members"`);
    await queryRunner.query(`CREATE INDEX "ix_group_members_user_id" ON "group_members" ("user_id") `);
    await queryRunner.query(`DROP INDEX "ix_group_permissions_permission"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_group_permissions" ("group_id" varchar(36) NOT NULL, "permission" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_3924be6485a5b5d0d2fe1a94c08" FOREIGN KEY ("group_id") REFERENCES "user_groups" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("group_id", "permission"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_group_permissions"("group_id", "permission", "created_at") SELECT "group_id", "permission", "created_at" FROM "group_permissions"`,
    );
    await queryRunner.query(`DROP TABLE "group_permissions"`);
    await queryRunner.query(`ALTER TABLE "temporary_group_permissions" RENAME TO "group_permissions"`);
    await queryRunner.query(`CREATE INDEX "ix_group_permissions_permission" ON "group_permissions" ("permission") `);
    await queryRunner.query(`DROP INDEX "ix_user_permissions_permission"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_user_permissions" ("user_id" varchar(36) NOT NULL, "permission" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_3495bd31f1862d02931e8e8d2e8" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("user_id", "permission"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_user_permissions"("user_id", "permission", "created_at") SELECT "user_id", "permission", "created_at" FROM "user_permissions"`,
    );
    await queryRunner.query(`DROP TABLE "user_permissions"`);
    await queryRunner.query(`ALTER TABLE "temporary_user_permissions" RENAME TO "user_permissions"`);
    await queryRunner.query(`CREATE INDEX "ix_user_permissions_permission" ON "user_permissions" ("permission") `);
    await queryRunner.query(
      `CREATE TABLE "temporary_user_passwords" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "hash" varchar(255) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_69bf155ad044d776976470eb032" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_user_passwords"("user_id", "hash", "updated_at") SELECT "user_id", "hash", "updated_at" FROM "user_passwords"`,
    );
    await queryRunner.query(`DROP TABLE "user_passwords"`);
    await queryRunner.query(`ALTER TABLE "temporary_user_passwords" RENAME TO "user_passwords"`);
    await queryRunner.query(`DROP INDEX "ix_user_sessions_user_id"`);
    await queryRunner.query(`DROP INDEX "uq_user_sessions_token_hash"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_user_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3) NOT NULL, CONSTRAINT "FK_e9658e959c490b0a634dfc54783" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_user_sessions"("id", "user_id", "token_hash", "created_at", "expires_at") SELECT "id", "user_id", "token_hash", "created_at", "expires_at" FROM "user_sessions"`,
    );
    await queryRunner.query(`DROP TABLE "user_sessions"`);
    await queryRunner.query(`ALTER TABLE "temporary_user_sessions" RENAME TO "user_sessions"`);
    await queryRunner.query(`CREATE INDEX "ix_user_sessions_user_id" ON "user_sessions" ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_sessions_token_hash" ON "user_sessions" ("token_hash") `);
    await queryRunner.query(`DROP INDEX "uq_user_tokens_user_id_name"`);
    await queryRunner.query(`DROP INDEX "uq_user_tokens_token_hash"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_user_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "name" varchar(100) NOT NULL, "token_hash" varchar(96) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3), "last_connection_date" datetime(3), CONSTRAINT "FK_9e144a67be49e5bba91195ef5de" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_user_tokens"("id", "user_id", "name", "token_hash", "created_at", "expires_at", "last_connection_date") SELECT "id", "user_id", "name", "token_hash", "created_at", "expires_at", "last_connection_date" FROM "user_tokens"`,
    );
    await queryRunner.query(`DROP TABLE "user_tokens"`);
    await queryRunner.query(`ALTER TABLE "temporary_user_tokens" RENAME TO "user_tokens"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_tokens_user_id_name" ON "user_tokens" ("user_id", "name") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_tokens_token_hash" ON "user_tokens" ("token_hash") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_user_tokens_token_hash"`);
    await queryRunner.query(`DROP INDEX "uq_user_tokens_user_id_name"`);
    await queryRunner.query(`ALTER TABLE "user_tokens" RENAME TO "temporary_user_tokens"`);
    await queryRunner.query(
      `CREATE TABLE "user_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "name" varchar(100) NOT NULL, "token_hash" varchar(96) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3), "last_connection_date" datetime(3))`,
    );
    await queryRunner.query(
      `INSERT INTO "user_tokens"("id", "user_id", "name", "token_hash", "created_at", "expires_at", "last_connection_date") SELECT "id", "user_id", "name", "token_hash", "created_at", "expires_at", "last_connection_date" FROM "temporary_user_tokens"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_user_tokens"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_tokens_token_hash" ON "user_tokens" ("token_hash") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_tokens_user_id_name" ON "user_tokens" ("user_id", "name") `);
    await queryRunner.query(`DROP INDEX "uq_user_sessions_token_hash"`);
    await queryRunner.query(`DROP INDEX "ix_user_sessions_user_id"`);
    await queryRunner.query(`ALTER TABLE "user_sessions" RENAME TO "temporary_user_sessions"`);
    await queryRunner.query(
      `CREATE TABLE "user_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "token_hash" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, "expires_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "user_sessions"("id", "user_id", "token_hash", "created_at", "expires_at") SELECT "id", "user_id", "token_hash", "created_at", "expires_at" FROM "temporary_user_sessions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_user_sessions"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_sessions_token_hash" ON "user_sessions" ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "ix_user_sessions_user_id" ON "user_sessions" ("user_id") `);
    await queryRunner.query(`ALTER TABLE "user_passwords" RENAME TO "temporary_user_passwords"`);
    await queryRunner.query(
      `CREATE TABLE "user_passwords" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "hash" varchar(255) NOT NULL, "updated_at" datetime(3) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "user_passwords"("user_id", "hash", "updated_at") SELECT "user_id", "hash", "updated_at" FROM "temporary_user_passwords"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_user_passwords"`);
    await queryRunner.query(`DROP INDEX "ix_user_permissions_permission"`);
    await queryRunner.query(`ALTER TABLE "user_permissions" RENAME TO "temporary_user_permissions"`);
    await queryRunner.query(
      `CREATE TABLE "user_permissions" ("user_id" varchar(36) NOT NULL, "permission" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, PRIMARY KEY ("user_id", "permission"))`,
    );
    await queryRunner.query(
      `INSERT INTO "user_permissions"("user_id", "permission", "created_at") SELECT "user_id", "permission", "created_at" FROM "temporary_user_permissions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_user_permissions"`);
    await queryRunner.query(`CREATE INDEX "ix_user_permissions_permission" ON "user_permissions" ("permission") `);
    await queryRunner.query(`DROP INDEX "ix_group_permissions_permission"`);
    await queryRunner.query(`ALTER TABLE "group_permissions" RENAME TO "temporary_group_permissions"`);
    await queryRunner.query(
      `CREATE TABLE "group_permissions" ("group_id" varchar(36) NOT NULL, "permission" varchar(64) NOT NULL, "created_at" datetime(3) NOT NULL, PRIMARY KEY ("group_id", "permission"))`,
    );
    await queryRunner.query(
      `INSERT INTO "group_permissions"("group_id", "permission", "created_at") SELECT "group_id", "permission", "created_at" FROM "temporary_group_permissions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_group_permissions"`);
    await queryRunner.query(`CREATE INDEX "ix_group_permissions_permission" ON "group_permissions" ("permission") `);
    await queryRunner.query(`DROP INDEX "ix_group_members_user_id"`);
    await queryRunner.query(`ALTER TABLE "group_members" RENAME TO "temporary_group_members"`);
    await queryRunner.query(
      `CREATE TABLE "group_members" ("group_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" datetime(3) NOT NULL, PRIMARY KEY ("group_id", "user_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "group_members"("group_id", "user_id", "created_at") SELECT "group_id", "user_id", "created_at" FROM "temporary_group_members"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_group_members"`);
    await queryRunner.query(`CREATE INDEX "ix_group_members_user_id" ON "group_members" ("user_id") `);
    await queryRunner.query(`DROP INDEX "ix_scim_group_profiles_display_name"`);
    await queryRunner.query(`DROP INDEX "ix_scim_group_profiles_external_id"`);
    await queryRunner.query(`DROP INDEX "ix_scim_group_profiles_created"`);
    await queryRunner.query(`DROP INDEX "ix_scim_group_profiles_updated"`);
    await queryRunner.query(`DROP TABLE "scim_group_profiles"`);
    await queryRunner.query(`DROP INDEX "uq_scim_groups_group_id"`);
    await queryRunner.query(`DROP TABLE "scim_groups"`);
    await queryRunner.query(`DROP INDEX "ix_scim_audit_events_occurred"`);
    await queryRunner.query(`DROP INDEX "ix_scim_audit_events_resource"`);
    await queryRunner.query(`DROP INDEX "ix_scim_audit_events_token"`);
    await queryRunner.query(`DROP TABLE "scim_audit_events"`);
    await queryRunner.query(`DROP INDEX "uq_scim_user_profiles_user_name"`);
    await queryRunner.query(`DROP INDEX "ix_scim_user_profiles_external_id"`);
    await queryRunner.query(`DROP INDEX "ix_scim_user_profiles_created"`);
    await queryRunner.query(`DROP INDEX "ix_scim_user_profiles_updated"`);
    await queryRunner.query(`DROP TABLE "scim_user_profiles"`);
    await queryRunner.query(`DROP INDEX "ix_scim_user_emails_value"`);
    await queryRunner.query(`DROP TABLE "scim_user_emails"`);
    await queryRunner.query(`DROP INDEX "uq_scim_users_user_id"`);
    await queryRunner.query(`DROP TABLE "scim_users"`);
    await queryRunner.query(`DROP INDEX "ix_saml_message_ids_expires_at"`);
    await queryRunner.query(`DROP TABLE "saml_message_ids"`);
    await queryRunner.query(`DROP INDEX "ix_saml_authn_requests_expires_at"`);
    await queryRunner.query(`DROP TABLE "saml_authn_requests"`);
    await queryRunner.query(`DROP TABLE "saml_settings"`);
    await queryRunner.query(`DROP TABLE "internal_properties"`);
    await queryRunner.query(`DROP TABLE "installed_license"`);
    await queryRunner.query(`DROP INDEX "uq_user_tokens_token_hash"`);
    await queryRunner.query(`DROP INDEX "uq_user_tokens_user_id_name"`);
    await queryRunner.query(`DROP TABLE "user_tokens"`);
    await queryRunner.query(`DROP INDEX "uq_user_sessions_token_hash"`);
    await queryRunner.query(`DROP INDEX "ix_user_sessions_user_id"`);
    await queryRunner.query(`DROP TABLE "user_sessions"`);
    await queryRunner.query(`DROP TABLE "user_passwords"`);
    await queryRunner.query(`DROP TABLE "sign_in_throttle"`);
    await queryRunner.query(`DROP INDEX "ix_user_permissions_permission"`);
    await queryRunner.query(`DROP TABLE "user_permissions"`);
    await queryRunner.query(`DROP INDEX "ix_group_permissions_permission"`);
    await queryRunner.query(`DROP TABLE "group_permissions"`);
    await queryRunner.query(`DROP INDEX "ix_group_members_user_id"`);
    await queryRunner.query(`DROP TABLE "group_members"`);
    await queryRunner.query(`DROP INDEX "uq_users_login_normalized"`);
    await queryRunner.query(`DROP INDEX "uq_users_external_login_normalized"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "uq_user_groups_name_normalized"`);
    await queryRunner.query(`DROP INDEX "uq_user_groups_built_in"`);
    await queryRunner.query(`DROP TABLE "user_groups"`);
  }
}
