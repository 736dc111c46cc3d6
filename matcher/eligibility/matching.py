"""Which equivalence rules apply to a profile at a destination, and through which credentials.

The region's rules when one applies to the candidate, else the country's; of those, the most
specific. What applies depends on the credentials' (body, code), the training countries and the
occupations in question, never on dates, so its shape is remembered per data set (`RULE_MATCHES`).
"""

from __future__ import annotations

from matcher.eligibility.context import Context
from matcher.eligibility.data_cache import DataCache
from matcher.eligibility.profile import HeldCredential, Profile
from matcher.rules.credentials import CredentialData
from matcher.rules.credentials.catalogue import CatalogueEntry
from matcher.rules.credentials.rules import Rule
from matcher.rules.credentials.validation import covers

Through = tuple[tuple[HeldCredential, CatalogueEntry], ...]


def catalogue_warnings(profile: Profile, data: CredentialData) -> list[str]:
    return [
        f"credential {h.body}:{h.code} is not in the catalogue"
        for h in profile.credentials
        if data.catalogue.get(h.body, h.code) is None
    ]


def _occupations_in_question(profile: Profile, data: CredentialData) -> frozenset[str]:
    """The requisition's (or candidate's) occupation; when neither says, what the candidate's
    credentials cover. Empty when nothing is known: then every rule's occupations are in scope."""
    if profile.occupation is not None:
        return frozenset({profile.occupation})
    covered: set[str] = set()
    for held in profile.credentials:
        entry = data.catalogue.get(held.body, held.code)
        if entry is not None:
            covered.update(entry.occupations)
    return frozenset(covered)


def _matched(
    rule: Rule, profile: Profile, wanted: frozenset[str], data: CredentialData
) -> Through | None:
    """The credentials through which `rule` applies to this profile; None if it does not."""
    scope = rule.occupations & wanted if rule.occupations and wanted else rule.occupations or wanted
    if not scope and rule.occupations and wanted:
        return None  # the rule is about other occupations
    if rule.origin_any:
        return ()
    if rule.origin_countries:
        origins = profile.training_countries & rule.origin_countries
        return () if origins - {rule.destination[:2]} else None
    found = []
    for held in profile.credentials:
        entry = data.catalogue.get(held.body, held.code)
        if entry is None or entry.key not in rule.origin_keys:
            continue
        if scope and scope.isdisjoint(entry.occupations):
            continue  # the credential is not about the occupation in question
        # A licence valid at the destination is handled by its home rule, not as a foreign one.
        if not rule.home and entry.licensing and covers(entry.jurisdiction, rule.destination):
            continue
        found.append((held, entry))
    return tuple(found) or None


# Remembering the shape of the matches makes a verdict cost a few dictionary look-ups once a
# profile's shape has been seen, across requisitions and requests alike (rule matching was most
# of the cost of assess_many).
MatchShape = tuple[tuple[int, frozenset[tuple[str, str]]], ...]
RULE_MATCHES: DataCache[MatchShape] = DataCache(limit=200_000)


def _matches_at(
    level: str, profile: Profile, wanted: frozenset[str], data: CredentialData
) -> list[tuple[Rule, Through]]:
    """`[(rule, _matched(rule, ...)) for applicable rules at level]`, with the shape cached."""
    pairs = tuple(sorted({(h.body, h.code) for h in profile.credentials}))
    key = (level, pairs, profile.training_countries, wanted)
    shape = RULE_MATCHES.get(data, key)
    rules = data.by_destination.get(level, ())
    if shape is None:
        computed = []
        for index, rule in enumerate(rules):
            found = _matched(rule, profile, wanted, data)
            if found is not None:
                computed.append((index, frozenset((h.body, h.code) for h, _ in found)))
        shape = tuple(computed)
        RULE_MATCHES.put(data, key, shape)
    out = []
    for index, matched_pairs in shape:
        found = tuple(
            (h, entry)
            for h in profile.credentials
            if (h.body, h.code) in matched_pairs
            and (entry := data.catalogue.get(h.body, h.code)) is not None
        )
        out.append((rules[index], found))
    return out


def most_specific_rules(
    profile: Profile, ctx: Context, data: CredentialData
) -> list[tuple[Rule, Through]]:
    """The most specific rules that apply, each with the credentials it applies through;
    empty when no rule applies."""
    wanted = _occupations_in_question(profile, data)
    # The region's rules when one applies to this candidate, else the country's.
    for level in (ctx.region, ctx.country):
        if level is None:
            continue
        matches = _matches_at(level, profile, wanted, data)
        if matches:
            break
    else:
        return []
    tier = max(rule.specificity for rule, _ in matches)
    return [(rule, found) for rule, found in matches if rule.specificity == tier]
