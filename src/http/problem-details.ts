/** RFC 9457 problem details, with a stable machine-readable `code` clients translate. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  errors?: FieldProblem[];
  instance?: string;
  [extension: string]: unknown;
}

export interface FieldProblem {
  field: string;
  code: string;
  reason: string;
}

export const problemType = (code: string): string => `https://tradeflow.example/problems/${code}`;

/** Malformed input found by DTO validation: every field that failed, not only the first. */
export class InputProblem extends Error {
  constructor(readonly errors: FieldProblem[]) {
    super(errors.map((error) => `${error.field}: ${error.reason}`).join('; '));
    this.name = 'InputProblem';
  }
}
