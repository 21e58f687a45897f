import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import dedupDefault from '../../config/policies/dedup.default.json';
import { DedupPolicySchema } from '../../config/schemas/dedup-policy.schema';
import { CompanyNameIndex } from '../../domain/dedup/company-name-index';
import { exactDedupKeys } from '../../domain/dedup/exact-keys';
import { normalizePhone } from '../../domain/dedup/phone';
import { reviewReasons } from '../../domain/dedup/review';
import { DedupPolicy } from '../../domain/policies/dedup-policy';

const policy: DedupPolicy = dedupDefault;

const problemsOf = (body: unknown): string[] =>
  validateSync(plainToInstance(DedupPolicySchema, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
  }).map((error) => error.property);

describe('dedup policy', () => {
  it('the default file passes its schema', () => {
    expect(problemsOf(dedupDefault)).toEqual([]);
    expect(policy).toMatchObject({ id: 'dedup.default', version: 1 });
  });

  it('refuses a threshold out of range, a non-boolean switch and a bad domain', () => {
    const bad = {
      ...dedupDefault,
      nameSimilarityThreshold: 1.2,
      reviewPhoneMatches: 'yes',
      maxNameCandidates: 0,
      extraFreeMailDomains: ['Mail.Example', 'ok.example', 'ok.example'],
    };
    expect(problemsOf(bad).sort()).toEqual([
      'extraFreeMailDomains',
      'maxNameCandidates',
      'nameSimilarityThreshold',
      'reviewPhoneMatches',
    ]);
  });
});

describe('dedup: review reasons', () => {
  const index = new CompanyNameIndex();
  index.add('acc-1', 'Müller Maschinenbau GmbH');
  index.add('acc-2', 'Gulf Valve Trading LLC');
  index.add('acc-3', 'Anna Berg Interiors');

  it('queues a same-phone match and a similar name, each with its evidence', () => {
    const phone = normalizePhone('030 1234567', 'DE');
    const names = index.match('Mueller Maschinenbau', policy.nameSimilarityThreshold);
    const entries = reviewReasons(
      {
        phone,
        phoneHolders: [
          { id: 'acc-2', phone: '+49301234567' },
          { id: 'acc-9', phone: '+4940999999' },
        ],
        nameMatches: names.matches,
      },
      policy,
    );
    expect(entries).toEqual([
      { kind: 'phone', matchedId: 'acc-2', score: 1, evidence: { phone: '+49301234567' } },
      { kind: 'name', matchedId: 'acc-1', score: 1, evidence: names.matches[0].evidence },
    ]);
  });

  it('follows the policy switches and threshold', () => {
    const nameMatches = [
      {
        id: 'a',
        score: 0.9,
        evidence: { normalized: { query: 'x', match: 'y' }, sharedTokens: [], sharedTrigrams: 0 },
      },
    ];
    const input = {
      phone: '+49301234567',
      phoneHolders: [{ id: 'b', phone: '+49301234567' }],
      nameMatches,
    };
    expect(
      reviewReasons(input, { ...policy, reviewPhoneMatches: false }).map((e) => e.kind),
    ).toEqual(['name']);
    expect(
      reviewReasons(input, { ...policy, reviewNameMatches: false }).map((e) => e.kind),
    ).toEqual(['phone']);
    expect(
      reviewReasons(input, { ...policy, nameSimilarityThreshold: 0.95 }).map((e) => e.kind),
    ).toEqual(['phone']);
  });

  it('does not queue the record the inquiry already attaches to, nor the same match twice', () => {
    const holder = { id: 'acc-2', phone: '+49301234567' };
    const entries = reviewReasons(
      {
        phone: '+49301234567',
        phoneHolders: [holder, holder, { id: 'acc-5', phone: holder.phone }],
        attachedTo: ['acc-5'],
      },
      policy,
    );
    expect(entries.map((entry) => entry.matchedId)).toEqual(['acc-2']);
  });

  it('two gmail buyers of different companies: no shared key, nothing to review', () => {
    const first = {
      email: 'anna.berg@gmail.com',
      company: 'Anna Berg Interiors',
      phone: '+46 8 123 456 78',
    };
    const second = { email: 'omar@gmail.com', company: 'Haddad Foods', phone: '+971 4 123 4567' };
    expect(exactDedupKeys(first).domain).toBeUndefined();
    expect(exactDedupKeys(second)).toEqual({ email: 'omar@gmail.com' });
    const entries = reviewReasons(
      {
        phone: normalizePhone(second.phone, 'AE'),
        phoneHolders: [{ id: 'acc-3', phone: normalizePhone(first.phone, 'SE') as string }],
        nameMatches: index.match(second.company, policy.nameSimilarityThreshold).matches,
      },
      policy,
    );
    expect(entries).toEqual([]);
  });
});
