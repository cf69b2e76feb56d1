import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePeopleAndTeams1767225600000 implements MigrationInterface {
  name = 'CreatePeopleAndTeams1767225600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `people` (`id` int NOT NULL AUTO_INCREMENT, `login` varchar(255) NOT NULL, `display_name` varchar(255) NOT NULL, `email` varchar(255) NULL, `active` tinyint NOT NULL DEFAULT 1, UNIQUE INDEX `uq_people_login` (`login`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `teams` (`id` int NOT NULL AUTO_INCREMENT, `name` varchar(255) NOT NULL, UNIQUE INDEX `uq_teams_name` (`name`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `team_members` (`team_id` int NOT NULL, `person_id` int NOT NULL, INDEX `ix_team_members_person` (`person_id`), PRIMARY KEY (`team_id`, `person_id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'ALTER TABLE `team_members` ADD CONSTRAINT `fk_team_members_team` FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE `team_members` ADD CONSTRAINT `fk_team_members_person` FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `team_members` DROP FOREIGN KEY `fk_team_members_person`');
    await queryRunner.query('ALTER TABLE `team_members` DROP FOREIGN KEY `fk_team_members_team`');
    await queryRunner.query('DROP TABLE `team_members`');
    await queryRunner.query('DROP TABLE `teams`');
    await queryRunner.query('DROP TABLE `people`');
  }
}
