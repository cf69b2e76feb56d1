import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, TransformFnParams } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/*
 * Parameter decorators for the Web API's request classes: each states a parameter once, for validation and for the
 * OpenAPI document together, with the product's wording ("The 'login' parameter is missing"). Parameters arrive as
 * query strings, form fields or JSON values, so booleans and numbers are accepted as text too.
 */

/** The product reads `true`/`false` and `yes`/`no`; anything else is left as is for the validator to refuse. */
export function toBoolean({ value }: TransformFnParams): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === 'yes') return true;
  if (text === 'false' || text === 'no') return false;
  return value;
}

function toInteger({ value }: TransformFnParams): unknown {
  return typeof value === 'string' && /^\s*-?\d{1,9}\s*$/.test(value) ? Number(value) : value;
}

/** `a,b,c` as the product writes lists in one parameter; blanks dropped. */
function toList({ value }: TransformFnParams): unknown {
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

interface ParamDoc {
  description: string;
  example?: string | number | boolean;
}

interface TextParamDoc extends ParamDoc {
  maxLength?: number;
  /** Shown as a password field, never as an example. */
  secret?: boolean;
}

function missing(name: string): string {
  return `The '${name}' parameter is missing`;
}

/** A required text parameter; empty counts as missing. */
export function RequiredText(name: string, doc: TextParamDoc): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: doc.description,
      example: doc.secret ? undefined : doc.example,
      format: doc.secret ? 'password' : undefined,
      maxLength: doc.maxLength,
    }),
    IsString({ message: `The '${name}' parameter must be text` }),
    IsNotEmpty({ message: missing(name) }),
    ...(doc.maxLength
      ? [MaxLength(doc.maxLength, { message: `'${name}' is too long (${doc.maxLength} characters max)` })]
      : []),
  );
}

export function OptionalText(name: string, doc: TextParamDoc): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: doc.description,
      example: doc.secret ? undefined : doc.example,
      format: doc.secret ? 'password' : undefined,
      maxLength: doc.maxLength,
    }),
    IsOptional(),
    IsString({ message: `The '${name}' parameter must be text` }),
    ...(doc.maxLength
      ? [MaxLength(doc.maxLength, { message: `'${name}' is too long (${doc.maxLength} characters max)` })]
      : []),
  );
}

export function OptionalBoolean(name: string, doc: ParamDoc & { default?: boolean }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: doc.description, type: Boolean, default: doc.default, example: doc.example }),
    Transform(toBoolean),
    IsOptional(),
    IsBoolean({ message: `Value of parameter '${name}' must be one of: true, false, yes, no` }),
  );
}

export function OptionalInteger(
  name: string,
  doc: ParamDoc & { default: number; min: number; max?: number },
): PropertyDecorator {
  const range = doc.max === undefined ? `${doc.min} or more` : `between ${doc.min} and ${doc.max}`;
  const message = `'${name}' must be a whole number ${range}`;
  return applyDecorators(
    ApiPropertyOptional({
      description: doc.description,
      type: 'integer',
      default: doc.default,
      minimum: doc.min,
      maximum: doc.max,
    }),
    Transform(toInteger),
    IsOptional(),
    IsInt({ message }),
    Min(doc.min, { message }),
    ...(doc.max === undefined ? [] : [Max(doc.max, { message })]),
  );
}

/** A comma-separated list (`keys=a,b`). */
export function OptionalList(name: string, doc: ParamDoc): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: `${doc.description} (comma-separated)`, type: String, example: doc.example }),
    Transform(toList),
    IsOptional(),
    IsString({ each: true, message: `The '${name}' parameter must be a comma-separated list` }),
  );
}

export function RequiredList(name: string, doc: ParamDoc): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description: `${doc.description} (comma-separated)`, type: String, example: doc.example }),
    Transform(toList),
    IsString({ each: true, message: `The '${name}' parameter must be a comma-separated list` }),
    ArrayNotEmpty({ message: missing(name) }),
  );
}
