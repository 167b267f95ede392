"""Imports every capability's models so that ``Base.metadata`` knows the whole schema."""

from sijill.accountability import models as accountability_models  # noqa: F401
from sijill.command import models as command_models  # noqa: F401
from sijill.disclosure import models as disclosure_models  # noqa: F401
from sijill.estimate import models as estimate_models  # noqa: F401
from sijill.evidence import models as evidence_models  # noqa: F401
from sijill.incidents import models as incidents_models  # noqa: F401
from sijill.jobs import models as jobs_models  # noqa: F401
from sijill.linkage import models as linkage_models  # noqa: F401
from sijill.places import models as places_models  # noqa: F401
from sijill.published import models as published_models  # noqa: F401
from sijill.security import models as security_models  # noqa: F401
from sijill.store import models as store_models  # noqa: F401
