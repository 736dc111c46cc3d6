"""A rule's language requirement for a profile: met (a note), or a step to take (with warnings)."""

from __future__ import annotations

from matcher.eligibility.context import Context
from matcher.eligibility.data_cache import DataCache
from matcher.eligibility.profile import Profile
from matcher.rules.credentials import CredentialData
from matcher.rules.credentials.language import check_language
from matcher.rules.credentials.rules import Rule, Step

# (warnings, notes, steps)
LanguageStep = tuple[tuple[str, ...], tuple[str, ...], tuple[Step, ...]]
# Per (data, regulator, language evidence, training countries, today): candidates with
# different credentials often share their language evidence, and the check is the dearest part
# of a route.
LANGUAGE_STEPS: DataCache[LanguageStep] = DataCache(limit=200_000)


def language_step(rule: Rule, profile: Profile, data: CredentialData, ctx: Context) -> LanguageStep:
    """(warnings, notes, steps) of the rule's language requirement for this profile."""
    if rule.language is None:
        return (), (), ()
    key = (rule.language, profile.languages, profile.training_countries, ctx.today)
    hit = LANGUAGE_STEPS.get(data, key)
    if hit is not None:
        return hit
    regulator = data.language.regulators[rule.language]
    check = check_language(
        regulator,
        skills=profile.languages,
        training_countries=profile.training_countries,
        instruction=data.language.instruction,
        today=ctx.today,
    )
    found: LanguageStep
    if check.met:
        found = (), (f"{regulator.id} language requirement met: {check.via}",), ()
    else:
        step = Step(
            kind="language_test",
            name=f"{regulator.id} language requirement: {regulator.describe()}",
            duration_days=None,
            fee=None,
            currency=None,
            required=True,
            source=regulator.source,
            as_of=regulator.as_of,
            note=regulator.note,
        )
        found = tuple(check.warnings), (), (step,)
    LANGUAGE_STEPS.put(data, key, found)
    return found
