import { MigrationInterface, QueryRunner } from 'typeorm';

export class SortKeysAndLimits1796403450354 implements MigrationInterface {
  name = 'SortKeysAndLimits1796403450354';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_scim_audit_events_occurred"`);
    await queryRunner.query(`DROP INDEX "ix_scim_audit_events_resource"`);
    await queryRunner.query(`DROP INDEX "ix_scim_audit_events_token"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_scim_audit_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "occurred_at" datetime(3) NOT NULL, "request_id" varchar(64), "token_id" varchar(36), "actor_user_id" varchar(36), "actor_login" varchar(255), "action" varchar(16) NOT NULL, "resource_type" varchar(16) NOT NULL, "resource_id" varchar(64) NOT NULL, "internal_id" varchar(36), "attributes" text NOT NULL, "members" text, "ignored" text)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_scim_audit_events"("id", "occurred_at", "request_id", "token_id", "actor_user_id", "actor_login", "action", "resource_type", "resource_id", "internal_id", "attributes", "members") SELECT "id", "occurred_at", "request_id", "token_id", "actor_user_id", "actor_login", "action", "resource_type", "resource_id", "internal_id", "attributes", "members" FROM "scim_audit_events"`,
    );
    await queryRunner.query(`DROP TABLE "scim_audit_events"`);
    await queryRunner.query(`ALTER TABLE "temporary_scim_audit_events" RENAME TO "scim_audit_events"`);
    await queryRunner.query(
      `CREATE INDEX "ix_scim_audit_events_occurred" ON "scim_audit_events" ("occurred_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_audit_events_resource" ON "scim_audit_events" ("resource_type", "resource_id") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_scim_audit_events_token" ON "scim_audit_events" ("token_id") `);
    await queryRunner.query(`DROP INDEX "ix_scim_user_emails_value"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_scim_user_emails" ("user_id" varchar(36) NOT NULL, "position" integer NOT NULL, "value" varchar(320) NOT NULL, "value_normalized" varchar(320) NOT NULL, "type" varchar(64), "is_primary" boolean NOT NULL, "type_normalized" varchar(255), CONSTRAINT "FK_4c83eec97a2e73a2a44ac881295" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("user_id", "position"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_scim_user_emails"("user_id", "position", "value", "value_normalized", "type", "is_primary") SELECT "user_id", "position", "value", "value_normalized", "type", "is_primary" FROM "scim_user_emails"`,
    );
    await queryRunner.query(`DROP TABLE "scim_user_emails"`);
    await queryRunner.query(`ALTER TABLE "temporary_scim_user_emails" RENAME TO "scim_user_emails"`);
    await queryRunner.query(`CREATE INDEX "ix_scim_user_emails_value" ON "scim_user_emails" ("value_normalized") `);
    await queryRunner.query(`DROP INDEX "ix_scim_user_profiles_external_id"`);
    await queryRunner.query(`DROP INDEX "ix_scim_user_profiles_created"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_scim_user_profiles" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "external_id" varchar(255), "display_name" varchar(255), "given_name" varchar(255), "family_name" varchar(255), "employee_number" varchar(255), "manager_id" varchar(255), "document" text NOT NULL, "version" integer NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "display_name_normalized" varchar(255), "given_name_normalized" varchar(255), "family_name_normalized" varchar(255), CONSTRAINT "FK_1aa006df7651f88a18036ecdbd8" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_scim_user_profiles"("user_id", "external_id", "display_name", "given_name", "family_name", "employee_number", "manager_id", "document", "version", "created_at", "updated_at") SELECT "user_id", "external_id", "display_name", "given_name", "family_name", "employee_number", "manager_id", "document", "version", "created_at", "updated_at" FROM "scim_user_profiles"`,
    );
    await queryRunner.query(`DROP TABLE "scim_user_profiles"`);
    await queryRunner.query(`ALTER TABLE "temporary_scim_user_profiles" RENAME TO "scim_user_profiles"`);
    await queryRunner.query(
      `CREATE INDEX "ix_scim_user_profiles_external_id" ON "scim_user_profiles" ("external_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_user_profiles_created" ON "scim_user_profiles" ("created_at", "user_id") `,
    );
    await queryRunner.query(`DROP INDEX "ix_scim_user_emails_value"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_scim_user_emails" ("user_id" varchar(36) NOT NULL, "position" integer NOT NULL, "value" varchar(320) NOT NULL, "value_normalized" varchar(320) NOT NULL, "type" varchar(255), "is_primary" boolean NOT NULL, "type_normalized" varchar(255), CONSTRAINT "FK_4c83eec97a2e73a2a44ac881295" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("user_id", "position"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_scim_user_emails"("user_id", "position", "value", "value_normalized", "type", "is_primary", "type_normalized") SELECT "user_id", "position", "value", "value_normalized", "type", "is_primary", "type_normalized" FROM "scim_user_emails"`,
    );
    await queryRunner.query(`DROP TABLE "scim_user_emails"`);
    await queryRunner.query(`ALTER TABLE "temporary_scim_user_emails" RENAME TO "scim_user_emails"`);
    await queryRunner.query(`CREATE INDEX "ix_scim_user_emails_value" ON "scim_user_emails" ("value_normalized") `);
    await queryRunner.query(
      `CREATE INDEX "ix_scim_group_profiles_updated" ON "scim_group_profiles" ("updated_at", "group_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_user_profiles_updated" ON "scim_user_profiles" ("updated_at", "user_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_scim_user_profiles_updated"`);
    await queryRunner.query(`DROP INDEX "ix_scim_group_profiles_updated"`);
    await queryRunner.query(`DROP INDEX "ix_scim_user_emails_value"`);
    await queryRunner.query(`ALTER TABLE "scim_user_emails" RENAME TO "temporary_scim_user_emails"`);
    await queryRunner.query(
      `CREATE TABLE "scim_user_emails" ("user_id" varchar(36) NOT NULL, "position" integer NOT NULL, "value" varchar(320) NOT NULL, "value_normalized" varchar(320) NOT NULL, "type" varchar(64), "is_primary" boolean NOT NULL, "type_normalized" varchar(255), CONSTRAINT "FK_4c83eec97a2e73a2a44ac881295" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("user_id", "position"))`,
    );
    await queryRunner.query(
      `INSERT INTO "scim_user_emails"("user_id", "position", "value", "value_normalized", "type", "is_primary", "type_normalized") SELECT "user_id", "position", "value", "value_normalized", "type", "is_primary", "type_normalized" FROM "temporary_scim_user_emails"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_scim_user_emails"`);
    await queryRunner.query(`CREATE INDEX "ix_scim_user_emails_value" ON "scim_user_emails" ("value_normalized") `);
    await queryRunner.query(`DROP INDEX "ix_scim_user_profiles_created"`);
    await queryRunner.query(`DROP INDEX "ix_scim_user_profiles_external_id"`);
    await queryRunner.query(`ALTER TABLE "scim_user_profiles" RENAME TO "temporary_scim_user_profiles"`);
    await queryRunner.query(
      `CREATE TABLE "scim_user_profiles" ("user_id" varchar(36) PRIMARY KEY NOT NULL, "external_id" varchar(255), "display_name" varchar(255), "given_name" varchar(255), "family_name" varchar(255), "employee_number" varchar(255), "manager_id" varchar(255), "document" text NOT NULL, "version" integer NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_1aa006df7651f88a18036ecdbd8" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "scim_user_profiles"("user_id", "external_id", "display_name", "given_name", "family_name", "employee_number", "manager_id", "document", "version", "created_at", "updated_at") SELECT "user_id", "external_id", "display_name", "given_name", "family_name", "employee_number", "manager_id", "document", "version", "created_at", "updated_at" FROM "temporary_scim_user_profiles"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_scim_user_profiles"`);
    await queryRunner.query(
      `CREATE INDEX "ix_scim_user_profiles_created" ON "scim_user_profiles" ("created_at", "user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_user_profiles_external_id" ON "scim_user_profiles" ("external_id") `,
    );
    await queryRunner.query(`DROP INDEX "ix_scim_user_emails_value"`);
    await queryRunner.query(`ALTER TABLE "scim_user_emails" RENAME TO "temporary_scim_user_emails"`);
    await queryRunner.query(
      `CREATE TABLE "scim_user_emails" ("user_id" varchar(36) NOT NULL, "position" integer NOT NULL, "value" varchar(320) NOT NULL, "value_normalized" varchar(320) NOT NULL, "type" varchar(64), "is_primary" boolean NOT NULL, CONSTRAINT "FK_4c83eec97a2e73a2a44ac881295" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("user_id", "position"))`,
    );
    await queryRunner.query(
      `INSERT INTO "scim_user_emails"("user_id", "position", "value", "value_normalized", "type", "is_primary") SELECT "user_id", "position", "value", "value_normalized", "type", "is_primary" FROM "temporary_scim_user_emails"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_scim_user_emails"`);
    await queryRunner.query(`CREATE INDEX "ix_scim_user_emails_value" ON "scim_user_emails" ("value_normalized") `);
    await queryRunner.query(`DROP INDEX "ix_scim_audit_events_token"`);
    await queryRunner.query(`DROP INDEX "ix_scim_audit_events_resource"`);
    await queryRunner.query(`DROP INDEX "ix_scim_audit_events_occurred"`);
    await queryRunner.query(`ALTER TABLE "scim_audit_events" RENAME TO "temporary_scim_audit_events"`);
    await queryRunner.query(
      `CREATE TABLE "scim_audit_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "occurred_at" datetime(3) NOT NULL, "request_id" varchar(64), "token_id" varchar(36), "actor_user_id" varchar(36), "actor_login" varchar(255), "action" varchar(16) NOT NULL, "resource_type" varchar(16) NOT NULL, "resource_id" varchar(64) NOT NULL, "internal_id" varchar(36), "attributes" text NOT NULL, "members" text)`,
    );
    await queryRunner.query(
      `INSERT INTO "scim_audit_events"("id", "occurred_at", "request_id", "token_id", "actor_user_id", "actor_login", "action", "resource_type", "resource_id", "internal_id", "attributes", "members") SELECT "id", "occurred_at", "request_id", "token_id", "actor_user_id", "actor_login", "action", "resource_type", "resource_id", "internal_id", "attributes", "members" FROM "temporary_scim_audit_events"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_scim_audit_events"`);
    await queryRunner.query(`CREATE INDEX "ix_scim_audit_events_token" ON "scim_audit_events" ("token_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_scim_audit_events_resource" ON "scim_audit_events" ("resource_type", "resource_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_audit_events_occurred" ON "scim_audit_events" ("occurred_at", "id") `,
    );
  }
}
