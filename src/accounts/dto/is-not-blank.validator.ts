import { registerDecorator, ValidationOptions } from 'class-validator';

/** A string with at least one non-space character: the domain refuses "   " as a name. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isNotBlank',
      target: target.constructor,
      propertyName: property as string,
      options: { message: `${String(property)} must not be blank`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && /\S/.test(value) },
    });
}
