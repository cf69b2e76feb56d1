import { IsString, Length } from 'class-validator';

export class CreateTeamDto {
  @IsString()
  @Length(1, 255)
  name: string;
}
