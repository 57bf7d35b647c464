"""Every table module, imported once so that ``Base.metadata`` knows the whole schema.

An area's tables live in their own module (``tables_<area>.py``); add its import here.
"""

from oxychain.adapters import (
    tables,  # noqa: F401 - foundation tables
    tables_distribution,  # noqa: F401
    tables_inspection,  # noqa: F401
    tables_planning,  # noqa: F401
    tables_tendering,  # noqa: F401
)
from oxychain.adapters.tables import Base

metadata = Base.metadata
