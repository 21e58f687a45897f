import { Inject, Injectable } from '@nestjs/common';
import { StagePolicy } from '../../domain/policies/stage-policy';
import { DomainError } from '../../domain/shared/domain-error';
import { TaskLink, TaskTemplateRef } from '../../domain/task/task.commands';
import { RecordNotFoundError } from '../commands/command-errors';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { RecordReader } from '../records/record-reader';
import { TaskTemplateRefDto } from './dto/task-commands.dto';

const DEFAULT_STAGE_POLICY = 'stages.default';

/** What a new task points at must exist: the record it is about, and the template it follows. */
@Injectable()
export class TaskReferences {
  constructor(
    private readonly records: RecordReader,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
  ) {}

  async assertLinkedRecordExists(link: TaskLink): Promise<void> {
    try {
      await this.records.read(link.kind, link.id);
    } catch (error) {
      if (!(error instanceof RecordNotFoundError)) throw error;
      throw new DomainError(
        'task.linked_record_unknown',
        `There is no ${link.kind} with id ${link.id} to link the task to`,
        'linkedTo.id',
        { kind: link.kind, id: link.id },
      );
    }
  }

  /** Pins the policy version, so the task keeps naming the template it was made from. */
  template(ref: TaskTemplateRefDto): TaskTemplateRef {
    const policyId = ref.policyId ?? DEFAULT_STAGE_POLICY;
    const published = !this.policies.has(policyId)
      ? undefined
      : ref.version === undefined
        ? this.policies.history(policyId).at(-1)
        : this.policies.version(policyId, ref.version);
    const policy = published?.body as Partial<StagePolicy> | undefined;
    const stage =
      policy?.openStages?.find((open) => open.key === ref.stage) ??
      (ref.stage === 'won' || ref.stage === 'lost' ? policy?.outcomes?.[ref.stage] : undefined);
    if (!published || !stage?.taskTemplates.some((template) => template.key === ref.key)) {
      throw new DomainError(
        'task.template_unknown',
        `${policyId}${ref.version === undefined ? '' : ` version ${ref.version}`} has no task template "${ref.key}" in stage "${ref.stage}"`,
        'template',
        { policyId, version: ref.version, stage: ref.stage, key: ref.key },
      );
    }
    return {
      policy: { id: policyId, version: published.version },
      stage: ref.stage,
      key: ref.key,
    };
  }
}
