import { IsInt, IsString, registerDecorator, validate } from 'class-validator';
import { cacheValidationMetadata } from '../../../src/http/validation-metadata-cache';

class Named {
  @IsString()
  name!: unknown;
}

class Counted extends Named {
  @IsInt()
  count!: unknown;
}

const failing = async (object: object) =>
  (await validate(object)).map((error) => Object.keys(error.constraints ?? {})[0]).sort();

describe('cached class-validator metadata', () => {
  beforeAll(() => cacheValidationMetadata());

  it('applies own and inherited rules, the same on every validation', async () => {
    const bad = Object.assign(new Counted(), { name: 42, count: 'x' });
    expect(await failing(bad)).toEqual(['isInt', 'isString']);
    expect(await failing(bad)).toEqual(['isInt', 'isString']);
    expect(await failing(Object.assign(new Named(), { name: 42 }))).toEqual(['isString']);
    expect(await failing(Object.assign(new Counted(), { name: 'a', count: 1 }))).toEqual([]);
  });

  it('sees a rule added after the class was first validated', async () => {
    class Late {
      @IsString()
      code!: unknown;
    }
    const late = Object.assign(new Late(), { code: 'ab' });
    expect(await failing(late)).toEqual([]);
    registerDecorator({
      name: 'isUpperCase',
      target: Late,
      propertyName: 'code',
      validator: { validate: (value: unknown) => value === String(value).toUpperCase() },
    });
    expect(await failing(late)).toEqual(['isUpperCase']);
  });
});
