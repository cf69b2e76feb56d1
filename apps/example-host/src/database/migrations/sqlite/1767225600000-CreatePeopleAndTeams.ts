import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePeopleAndTeams1767225600000 implements MigrationInterface {
  name = 'CreatePeopleAndTeams1767225600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "people" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "login" varchar(255) NOT NULL, "display_name" varchar(255) NOT NULL, "email" varchar(255), "active" boolean NOT NULL DEFAULT (1))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_people_login" ON "people" ("login") `);
    await queryRunner.query(
      `CREATE TABLE "teams" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(255) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_teams_name" ON "teams" ("name") `);
    await queryRunner.query(
      `CREATE TABLE "team_members" ("team_id" integer NOT NULL, "person_id" integer NOT NULL, CONSTRAINT "fk_team_members_team" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "fk_team_members_person" FOREIGN KEY ("person_id") REFERENCES "people" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("team_id", "person_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_team_members_person" ON "team_members" ("person_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_team_members_person"`);
    await queryRunner.query(`DROP TABLE "team_members"`);
    await queryRunner.query(`DROP INDEX "uq_teams_name"`);
    await queryRunner.query(`DROP TABLE "teams"`);
    await queryRunner.query(`DROP INDEX "uq_people_login"`);
    await queryRunner.query(`DROP TABLE "people"`);
  }
}
