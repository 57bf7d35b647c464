"""Every table module, imported once so that ``Base.metadata`` knows the whole schema.

An area's tables live in their own module (``tables_<area>.py``); add its import here.
"""

from oxychain.adapters import tables  # noqa: F401 - foundation tables
from oxychain.adapters.tables import Base

metadata = Base.metadata
