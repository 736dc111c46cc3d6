"""HTTP shapes, one module per audience. Inputs forbid unknown fields; hospital-facing profiles are
blind. Routes import them from here."""

from api.schemas.admin import (
    ActivationPublic,
    ModelPublic,
    RankingStatusPublic,
    StopRequest,
)
from api.schemas.agencies import (
    BatchResultPublic,
    BatchRowPublic,
    CandidateMatchPublic,
    CandidatePublic,
    DemographicsIn,
    ErasurePublic,
    RowErrorPublic,
)
from api.schemas.common import (
    Health,
    Problem,
)
from api.schemas.hospitals import (
    SCORER_DESCRIPTION,
    MatchesPublic,
    MatchPublic,
    OutcomePublic,
    OvernightMatchPublic,
    OvernightShortlistPublic,
    OverrideIn,
    OverridePublic,
    RequisitionPublic,
)
from api.schemas.profiles import (
    BlindProfile,
    EligibilityPublic,
)

__all__ = [
    "SCORER_DESCRIPTION",
    "ActivationPublic",
    "BatchResultPublic",
    "BatchRowPublic",
    "BlindProfile",
    "CandidateMatchPublic",
    "CandidatePublic",
    "DemographicsIn",
    "EligibilityPublic",
    "ErasurePublic",
    "Health",
    "MatchPublic",
    "MatchesPublic",
    "ModelPublic",
    "OutcomePublic",
    "OvernightMatchPublic",
    "OvernightShortlistPublic",
    "OverrideIn",
    "OverridePublic",
    "Problem",
    "RankingStatusPublic",
    "RequisitionPublic",
    "RowErrorPublic",
    "StopRequest",
]
