import { Body, Controller, Get, Headers, Inject, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '../../domain/shared/domain-error';
import { Role } from '../../domain/shared/roles';
import { WrongExpectedRevisionError } from '../event-store/event-store.errors';
import { EventActor } from '../event-store/event-store.port';
import { InputProblem } from '../http/problem-details';
import { currentRequestContext } from '../http/request-context';
import {
  PolicyVersionDto,
  policyVersionView,
  PublishPolicyQueryDto,
} from './dto/policy-version.dto';
import { POLICY_REGISTRY, PolicyRegistry } from './policy-registry';
import { InvalidPolicyError } from './policy-validation';
import { Allow, SALES } from '../identity/access.decorators';

const PUBLISHERS: Role[] = ['operations', 'manager', 'admin'];
const NOTE_MAX = 500;

@ApiTags('policies')
// Everyone works under the policies (loss-reason codes, stage requirements); only some change them.
@Allow(...SALES, 'analyst', 'operations', 'admin')
@Controller('api/policies')
export class PoliciesController {
  constructor(@Inject(POLICY_REGISTRY) private readonly registry: PolicyRegistry) {}

  @Get()
  @ApiOperation({ summary: 'The version in force of every policy' })
  list(): PolicyVersionDto[] {
    return this.registry
      .list()
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(policyVersionView);
  }

  @Get(':id')
  current(
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): PolicyVersionDto {
    const current = this.registry.history(id).at(-1)!;
    response.setHeader('ETag', `"${current.version}"`);
    return policyVersionView(current);
  }

  @Get(':id/versions')
  versions(@Param('id') id: string): PolicyVersionDto[] {
    return this.registry.history(id).map(policyVersionView);
  }

  @Get(':id/versions/:version')
  version(@Param('id') id: string, @Param('version') version: string): PolicyVersionDto {
    const number = /^[1-9]\d{0,8}$/.test(version) ? Number(version) : undefined;
    if (number === undefined) {
      throw new InputProblem([
        { field: 'version', code: 'validation.is_int', reason: 'version must be 1, 2, 3…' },
      ]);
    }
    const found = this.registry.version(id, number);
    if (!found) {
      throw new DomainError(
        'policy.version.not_found',
        `${id} has no version ${number}`,
        'version',
      );
    }
    return policyVersionView(found);
  }

  @Put(':id')
  @Allow(...PUBLISHERS)
  @ApiOperation({
    summary: 'Publish a new version',
    description:
      'The body is the whole policy. Send If-Match: "<version you edited>" (or expectedVersion); ' +
      'If-Match: * publishes over whatever is current. Only operations, managers and admins.',
  })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  async publish(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: PublishPolicyQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PolicyVersionDto> {
    const actor = publisher();
    this.registry.history(id); // an unknown policy is a 404, whatever else is wrong with the request
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new InvalidPolicyError(`policy ${id}`, [
        { key: '(root)', problem: 'must be a JSON object' },
      ]);
    }
    const {
      expectedVersion: inBody,
      note: noteInBody,
      ...policy
    } = body as Record<string, unknown>;
    const expected = precondition(ifMatch, query.expectedVersion, inBody);
    const note = query.note ?? checkedNote(noteInBody);
    if (policy.id !== undefined && policy.id !== id) {
      throw new InvalidPolicyError(`policy ${id}`, [
        { key: 'id', problem: `must be ${id}, the policy in the address, or be left out` },
      ]);
    }
    const expectedVersion = expected === '*' ? undefined : expected;
    try {
      const published = await this.registry.publish(id, policy, actor, { expectedVersion, note });
      response.setHeader('ETag', `"${published.version}"`);
      return policyVersionView(published);
    } catch (error) {
      // A colleague's publish may land between our check and our append: report versions, not revisions.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const current = this.registry.history(id).at(-1)!.version;
      throw new WrongExpectedRevisionError(error.streamName, expectedVersion ?? 'any', current);
    }
  }
}

function publisher(): EventActor {
  const actor = currentRequestContext()?.actor;
  if (!actor || !(PUBLISHERS as readonly string[]).includes(actor.role)) {
    throw new DomainError(
      'policy.publish_forbidden',
      'Only operations, managers and admins may publish a policy version',
      undefined,
      { role: actor?.role },
    );
  }
  return actor;
}

/** The version the editor started from; '*' knowingly replaces whatever is current. */
function precondition(
  ifMatch: string | undefined,
  inQuery: number | undefined,
  inBody: unknown,
): number | '*' {
  if (ifMatch !== undefined) {
    if (ifMatch.trim() === '*') return '*';
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
    if (match) return Number(match[1]);
    throw problem(
      'If-Match',
      'validation.if_match',
      'If-Match must be a version such as "3", or *',
    );
  }
  if (inQuery !== undefined) return inQuery;
  if (inBody === undefined) {
    throw problem(
      'If-Match',
      'validation.if_match_required',
      'Say which version you edited with If-Match: "<version>" (or expectedVersion), so a ' +
        "colleague's newer version is not overwritten; If-Match: * replaces whatever is current",
    );
  }
  if (typeof inBody === 'number' && Number.isInteger(inBody) && inBody >= 1) return inBody;
  throw problem('expectedVersion', 'validation.is_int', 'expectedVersion must be 1, 2, 3…');
}

function checkedNote(note: unknown): string | undefined {
  if (note === undefined || (typeof note === 'string' && note.length <= NOTE_MAX)) return note;
  throw problem(
    'note',
    'validation.max_length',
    `note must be text of at most ${NOTE_MAX} characters`,
  );
}

const problem = (field: string, code: string, reason: string) =>
  new InputProblem([{ field, code, reason }]);
