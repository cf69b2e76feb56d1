import { MigrationInterface, QueryRunner } from 'typeorm';

/** The SCIM activity records (every request, refused ones included), beside the tables of the initial migration. */
export class AddScimActivity1796540000000 implements MigrationInterface {
  name = 'AddScimActivity1796540000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "scim_activity_records" ("id" varchar(36) PRIMARY KEY NOT NULL, "occurred_at" datetime(3) NOT NULL, "request_id" varchar(64), "method" varchar(8) NOT NULL, "route" varchar(48) NOT NULL, "resource_type" varchar(16), "resource_id" varchar(64), "subject" varchar(255), "operation" varchar(16) NOT NULL, "member_changes" integer NOT NULL, "status" integer NOT NULL, "scim_type" varchar(32), "detail" varchar(512), "cause" varchar(32), "duration_ms" integer NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_activity_resource" ON "scim_activity_records" ("resource_type", "resource_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_scim_activity_occurred" ON "scim_activity_records" ("occurred_at", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_scim_activity_occurred"`);
    await queryRunner.query(`DROP INDEX "ix_scim_activity_resource"`);
    await queryRunner.query(`DROP TABLE "scim_activity_records"`);
  }
}
