import { Grade } from '../account/account.commands';
import { AssignmentMatch, AssignmentRule } from '../policies/assignment-policy';
import { InquiryChannel } from '../shared/channels';
import { AssignableTeam } from './eligibility';

export interface InquiryFacts {
  /** ISO 3166-1 alpha-2; inquiries often lack one. */
  country?: string;
  productLine?: string;
  channel: InquiryChannel;
  /** Known only when the inquiry is from an existing account. */
  grade?: Grade;
}

/** A condition with no values matches anything; one with values needs a fact that is among them. */
const within = (values: readonly string[], fact: string | undefined): boolean =>
  values.length === 0 || (fact !== undefined && values.includes(fact));

/**
 * A rule naming a team's region matches the countries of that region and those it lists. A team
 * that does not exist has no countries: the rule then matches fewer inquiries, never all of them.
 */
const countryMatches = (
  match: AssignmentMatch,
  teams: readonly AssignableTeam[],
  country: string | undefined,
): boolean => {
  const listed = match.countries ?? [];
  if (match.regionOf === undefined) return within(listed, country);
  const region = teams.find((team) => team.teamId === match.regionOf)?.region ?? [];
  return country !== undefined && (listed.includes(country) || region.includes(country));
};

export const ruleMatches = (
  rule: AssignmentRule,
  facts: InquiryFacts,
  teams: readonly AssignableTeam[],
): boolean => {
  const { match } = rule;
  return (
    countryMatches(match, teams, facts.country?.toUpperCase()) &&
    within(match.productLines ?? [], facts.productLine?.trim().toLowerCase()) &&
    within(match.channels ?? [], facts.channel) &&
    within(match.grades ?? [], facts.grade)
  );
};
