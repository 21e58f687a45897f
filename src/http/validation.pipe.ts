import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, InputProblem } from './problem-details';
import { cacheValidationMetadata } from './validation-metadata-cache';

cacheValidationMetadata();

/** class-validator constraint names become stable codes: `isEmail` → `validation.is_email`. */
const codeOf = (constraint: string): string =>
  `validation.${constraint.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, reason]) => ({
      field,
      code: codeOf(constraint),
      reason,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export const inputValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new InputProblem(flatten(errors)),
});
