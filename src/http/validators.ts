import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { IANAZone } from 'luxon';

/** A phone number in E.164 form (+4915112345678) that libphonenumber-js accepts as valid. */
export function IsE164Phone(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isE164Phone',
      target: target.constructor,
      propertyName: property as string,
      options: {
        message: `${String(property)} must be a valid phone number in E.164 form, e.g. +4915112345678`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && /^\+[1-9]\d{6,14}$/.test(value) && isValidPhoneNumber(value),
      },
    });
}

/** An IANA time zone name luxon knows, e.g. Asia/Dubai. */
export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: property as string,
      options: {
        message: `${String(property)} must be an IANA time zone such as Asia/Dubai`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && IANAZone.isValidZone(value),
      },
    });
}
